import { createCallTokenRouter } from '@calltoken/express'
import { fixedClock } from '@calltoken/test-kit'
import express from 'express'
import type { Redis } from 'ioredis'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contractProviders } from './support/contract-providers'
import { connectRedis, deleteKeys, describeWithRedis, keysUnder, uniquePrefix } from '@calltoken/test-kit/redis'

const N = 5
const WINDOW_MS = 60_000
const provider = contractProviders.providers[0]!

const headerAuth = (req: express.Request) => {
  const id = req.headers['x-test-user']
  return typeof id === 'string' ? { userId: id } : null
}

/** One "instance" of the app, as a second process behind a load balancer would run it. */
function instance(rateLimit: { max: number; windowMs: number; redis?: Redis; prefix?: string }): express.Express {
  return express().use('/api', createCallTokenRouter({ provider, now: fixedClock(), authenticate: headerAuth, rateLimit }))
}

const ask = (app: express.Express, user: string) => request(app).post('/api/tokens/user').set('x-test-user', user)

/** Alternates `count` requests between the instances, starting with the first; returns the statuses. */
async function alternate(apps: readonly express.Express[], user: string, count: number): Promise<number[]> {
  const statuses: number[] = []
  for (let i = 0; i < count; i++) statuses.push((await ask(apps[i % apps.length]!, user)).status)
  return statuses
}

describeWithRedis('express: rate limit shared through Redis by two instances', () => {
  const prefix = uniquePrefix('express')
  let clients: Redis[] = []
  let apps: express.Express[] = []

  beforeAll(() => {
    clients = [connectRedis(), connectRedis()]
    apps = clients.map((redis) => instance({ max: N, windowMs: WINDOW_MS, redis, prefix }))
  })

  afterAll(async () => {
    if (clients[0]) await deleteKeys(clients[0], prefix)
    await Promise.all(clients.map((client) => client.quit()))
  })

  it(`allows exactly ${N} requests across both instances, then 429 with Retry-After on either; another principal is unaffected`, async () => {
    expect(await alternate(apps, 'alice', N)).toEqual(Array(N).fill(200))

    const limited = await ask(apps[N % 2]!, 'alice') // the N+1th, on the instance whose turn it is
    expect(limited.status).toBe(429)
    expect(limited.body).toMatchObject({ success: false, code: 'ERR_CALLTOKEN_RATE_LIMITED' })
    const retryAfter = Number(limited.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000)
    expect((await ask(apps[(N + 1) % 2]!, 'alice')).status).toBe(429) // and the other instance agrees

    // Both instances counted into one Redis key: N + 2 hits for alice on the user route.
    const aliceKeys = (await keysUnder(clients[0]!, prefix)).filter((key) => key.endsWith('user:alice'))
    expect(aliceKeys).toEqual([`${prefix}user:user:alice`])
    expect(Number(await clients[1]!.get(aliceKeys[0]!))).toBe(N + 2)
    const ttl = await clients[1]!.pttl(aliceKeys[0]!)
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(WINDOW_MS)

    expect(await alternate(apps, 'bob', 2)).toEqual([200, 200])
  })

  it('counts each route separately (the call route still has its full budget)', async () => {
    const statuses: number[] = []
    for (let i = 0; i <= N; i++) {
      statuses.push((await request(apps[i % 2]!).post('/api/tokens/call').set('x-test-user', 'carol').send({ callId: 'standup' })).status)
    }
    expect(statuses).toEqual([...Array(N).fill(200), 429])
    expect((await ask(apps[0]!, 'carol')).status).toBe(200)
  })
})

// The control: without Redis each instance counts alone, so the pair lets 2N through. This is what makes the
// Redis test above meaningful: the same alternation refused the N+1th only because the count was shared.
describe('express: in-memory rate limit is per instance', () => {
  it(`two instances without Redis allow ${2 * N} requests, then 429`, async () => {
    const apps = [instance({ max: N, windowMs: WINDOW_MS }), instance({ max: N, windowMs: WINDOW_MS })]
    expect(await alternate(apps, 'alice', 2 * N + 1)).toEqual([...Array(2 * N).fill(200), 429])
  })
})
