import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectRedis, deleteKeys, describeWithRedis, keysUnder, uniquePrefix } from '@calltoken/test-kit/redis'
import { isCallTokenError } from '../../src/index'
import { redisRateLimitStore } from '../../src/http/index'
import { createRateLimiter, type RateLimitVerdict } from '../../src/http/rate-limiter'

const N = 5
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('redisRateLimitStore without a server', () => {
  it('uses eval when the client has no call, and rejects on an unexpected reply', async () => {
    const seen: unknown[][] = []
    const store = redisRateLimitStore({ eval: async (...args: unknown[]) => (seen.push(args), ['3', '1200']) }, { prefix: 'p:' })
    expect(await store.hit('k', 2000)).toEqual({ count: 3, resetInMs: 1200 })
    expect(seen).toEqual([[expect.stringContaining('PEXPIRE'), 1, 'p:k', 2000]])
    await expect(redisRateLimitStore({ call: async () => 'OK' }).hit('k', 1000)).rejects.toThrow(/Unexpected reply/)
  })

  it('passes the client error on (the caller chooses fail-open or closed)', async () => {
    const store = redisRateLimitStore({ call: async () => Promise.reject(new Error('ECONNREFUSED')) })
    await expect(store.hit('k', 1000)).rejects.toThrow('ECONNREFUSED')
  })

  it('refuses a client without call or eval', () => {
    try {
      redisRateLimitStore({} as never)
      expect.unreachable()
    } catch (error) {
      expect(isCallTokenError(error) && error.code).toBe('ERR_CALLTOKEN_INVALID_CONFIG')
    }
  })
})

describeWithRedis('rate limiting through a real Redis', () => {
  const prefix = uniquePrefix('core-rate-limit')
  let clients: Redis[] = []

  beforeAll(() => {
    clients = [connectRedis(), connectRedis()]
  })

  afterAll(async () => {
    if (clients[0]) await deleteKeys(clients[0], prefix)
    await Promise.all(clients.map((client) => client.quit()))
  })

  it('counts and expires a window atomically (an ioredis client as is)', async () => {
    const store = redisRateLimitStore(clients[0]!, { prefix })
    expect(await store.hit('store:a', 5_000)).toEqual({ count: 1, resetInMs: 5_000 })
    const second = await store.hit('store:a', 5_000)
    expect(second.count).toBe(2)
    expect(second.resetInMs).toBeGreaterThan(4_000)
    expect(second.resetInMs).toBeLessThanOrEqual(5_000)
    expect(await clients[1]!.get(`${prefix}store:a`)).toBe('2')
  })

  it('gives a key left without an expiry one, so it cannot block forever', async () => {
    await clients[0]!.set(`${prefix}store:stuck`, '41')
    const store = redisRateLimitStore(clients[0]!, { prefix })
    expect(await store.hit('store:stuck', 3_000)).toEqual({ count: 42, resetInMs: 3_000 })
    const ttl = await clients[0]!.pttl(`${prefix}store:stuck`)
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(3_000)
  })

  it('rejects with the Redis error on a key of the wrong type', async () => {
    await clients[0]!.set(`${prefix}store:text`, 'not a number')
    await expect(redisRateLimitStore(clients[0]!, { prefix }).hit('store:text', 1_000)).rejects.toThrow(/not an integer/)
  })

  it(`two instances sharing a prefix admit exactly ${N} of a concurrent burst of ${3 * N}, then a new window opens`, async () => {
    const routePrefix = `${prefix}burst:`
    // Two limiters on two clients: what two app instances behind a load balancer run.
    const checks = clients.map((redis) => createRateLimiter({ max: N, windowMs: 1_000, redis, prefix: routePrefix }).forRoute('user')!)
    const burst = () => Promise.all(Array.from({ length: 3 * N }, (_, i) => checks[i % 2]!({ userId: 'alice' }, '10.0.0.1') as Promise<RateLimitVerdict>))

    const verdicts = await burst()
    expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(N)
    const remaining = verdicts.filter((verdict) => verdict.allowed).map((verdict) => /remaining=(\d+)/.exec(verdict.headers.ratelimit!)![1])
    expect(remaining.sort()).toEqual(['0', '1', '2', '3', '4']) // each admitted hit saw its own count
    for (const refused of verdicts.filter((verdict) => !verdict.allowed)) {
      expect(refused.headers).toEqual({ 'ratelimit-policy': `${N};w=1`, ratelimit: `limit=${N}, remaining=0, reset=1`, 'retry-after': '1' })
    }
    expect(await keysUnder(clients[0]!, routePrefix)).toEqual([`${routePrefix}user:user:alice`])
    expect(await clients[1]!.get(`${routePrefix}user:user:alice`)).toBe(String(3 * N))

    // Another principal and an anonymous client have their own budgets.
    expect((await checks[1]!({ userId: 'bob' }, '10.0.0.1')).allowed).toBe(true)
    expect((await checks[0]!(null, '2001:db8:0:1::1')).allowed).toBe(true)
    expect(await keysUnder(clients[0]!, routePrefix)).toEqual([`${routePrefix}user:ip:2001:db8::/56`, `${routePrefix}user:user:alice`, `${routePrefix}user:user:bob`])

    await sleep(1_100)
    const again = await burst()
    expect(again.filter((verdict) => verdict.allowed)).toHaveLength(N)
  })
})
