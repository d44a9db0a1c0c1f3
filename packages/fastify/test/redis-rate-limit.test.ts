import { callTokenRoutes } from '@calltoken/fastify'
import fastifyRateLimit from '@fastify/rate-limit'
import { fixedClock } from '@calltoken/test-kit'
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'
import type { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { contractProviders } from '../../express/test/support/contract-providers'
import { connectRedis, deleteKeys, describeWithRedis, keysUnder, uniquePrefix } from '@calltoken/test-kit/redis'

const N = 5
const WINDOW_MS = 60_000
const provider = contractProviders.providers[0]!

const headerAuth = (req: FastifyRequest) => {
  const id = req.headers['x-test-user']
  return typeof id === 'string' ? { userId: id } : null
}

/** One "instance" of the app, as a second process behind a load balancer would run it. */
async function instance(rateLimit: { max: number; windowMs: number; redis?: Redis; prefix?: string }, appRateLimit = false): Promise<FastifyInstance> {
  const app = Fastify()
  if (appRateLimit) await app.register(fastifyRateLimit, { global: false }) // the app limits routes of its own
  await app.register(callTokenRoutes, { prefix: '/api', provider, now: fixedClock(), authenticate: headerAuth, rateLimit })
  await app.ready()
  return app
}

const ask = (app: FastifyInstance, user: string, route = 'user', body: object = {}) =>
  app.inject({ method: 'POST', url: `/api/tokens/${route}`, headers: { 'x-test-user': user, 'content-type': 'application/json' }, payload: JSON.stringify(body) })

/** Alternates `count` requests between the instances, starting with the first; returns the statuses. */
async function alternate(apps: readonly FastifyInstance[], user: string, count: number): Promise<number[]> {
  const statuses: number[] = []
  for (let i = 0; i < count; i++) statuses.push((await ask(apps[i % apps.length]!, user)).statusCode)
  return statuses
}

describeWithRedis('fastify: rate limit shared through Redis by two instances', () => {
  const prefix = uniquePrefix('fastify')
  let clients: Redis[] = []
  let apps: FastifyInstance[] = []

  beforeAll(async () => {
    clients = [connectRedis(), connectRedis()]
    apps = await Promise.all(clients.map((redis) => instance({ max: N, windowMs: WINDOW_MS, redis, prefix })))
  })

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()))
    if (clients[0]) await deleteKeys(clients[0], prefix)
    await Promise.all(clients.map((client) => client.quit()))
  })

  it(`allows exactly ${N} requests across both instances, then 429 with Retry-After on either; another principal is unaffected`, async () => {
    expect(await alternate(apps, 'alice', N)).toEqual(Array(N).fill(200))

    const limited = await ask(apps[N % 2]!, 'alice') // the N+1th, on the instance whose turn it is
    expect(limited.statusCode).toBe(429)
    expect(limited.json()).toMatchObject({ success: false, code: 'ERR_CALLTOKEN_RATE_LIMITED' })
    const retryAfter = Number(limited.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000)
    expect((await ask(apps[(N + 1) % 2]!, 'alice')).statusCode).toBe(429) // and the other instance agrees

    // Both instances counted into one Redis key: N + 2 hits for alice on the user route.
    const aliceKeys = (await keysUnder(clients[0]!, prefix)).filter((key) => key.endsWith('user:user:alice'))
    expect(aliceKeys).toHaveLength(1)
    expect(Number(await clients[1]!.get(aliceKeys[0]!))).toBe(N + 2)
    const ttl = await clients[1]!.pttl(aliceKeys[0]!)
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(WINDOW_MS)

    expect(await alternate(apps, 'bob', 2)).toEqual([200, 200])
  })

  it('counts each route separately (the call route still has its full budget)', async () => {
    const statuses: number[] = []
    for (let i = 0; i <= N; i++) statuses.push((await ask(apps[i % 2]!, 'carol', 'call', { callId: 'standup' })).statusCode)
    expect(statuses).toEqual([...Array(N).fill(200), 429])
    expect((await ask(apps[0]!, 'carol')).statusCode).toBe(200)
  })

  it('applies its Redis limit also next to an app that registered @fastify/rate-limit for routes of its own', async () => {
    const withAppLimiter = await Promise.all(clients.map((redis) => instance({ max: N, windowMs: WINDOW_MS, redis, prefix: `${prefix}with-app-limiter:` }, true)))
    try {
      expect(await alternate(withAppLimiter, 'dave', N + 1)).toEqual([...Array(N).fill(200), 429])
    } finally {
      await Promise.all(withAppLimiter.map((app) => app.close()))
    }
  })
})

// The control: without Redis each instance counts alone, so the pair lets 2N through. This is what makes the
// Redis test above meaningful: the same alternation refused the N+1th only because the count was shared.
describe('fastify: in-memory rate limit is per instance', () => {
  const apps: FastifyInstance[] = []
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()))
  })

  it(`two instances without Redis allow ${2 * N} requests, then 429`, async () => {
    apps.push(await instance({ max: N, windowMs: WINDOW_MS }), await instance({ max: N, windowMs: WINDOW_MS }))
    expect(await alternate(apps, 'alice', 2 * N + 1)).toEqual([...Array(2 * N).fill(200), 429])
  })
})
