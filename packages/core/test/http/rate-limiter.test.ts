import { describe, expect, it, vi } from 'vitest'
import { isCallTokenError } from '../../src/index'
import { memoryRateLimitStore, type RateLimitStore } from '../../src/http/index'
import { createRateLimiter, type RateLimitCheck, type RateLimitVerdict } from '../../src/http/rate-limiter'

function clock(start = 1_700_000_000_000) {
  let t = start
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

const alice = { userId: 'alice' }
const bob = { userId: 'bob' }

/** The in-memory limiter answers synchronously; this also checks that. */
function sync(verdict: Promise<RateLimitVerdict> | RateLimitVerdict): RateLimitVerdict {
  expect(verdict).not.toBeInstanceOf(Promise)
  return verdict as RateLimitVerdict
}

function expectConfigError(run: () => unknown, message?: RegExp): void {
  try {
    run()
  } catch (error) {
    expect(isCallTokenError(error) && error.code).toBe('ERR_CALLTOKEN_INVALID_CONFIG')
    if (message) expect((error as Error).message).toMatch(message)
    return
  }
  expect.unreachable('no INVALID_CONFIG thrown')
}

describe('createRateLimiter', () => {
  it('defaults to 60 a minute, with draft-7 headers on every answer and Retry-After on refusals', () => {
    const time = clock()
    const check = createRateLimiter(undefined, { now: time.now }).forRoute('user')!
    expect(sync(check(alice, '203.0.113.7'))).toEqual({
      allowed: true,
      headers: { 'ratelimit-policy': '60;w=60', ratelimit: 'limit=60, remaining=59, reset=60' },
    })
    time.advance(1_500)
    expect(sync(check(alice, '203.0.113.7')).headers).toEqual({ 'ratelimit-policy': '60;w=60', ratelimit: 'limit=60, remaining=58, reset=59' })
    for (let i = 3; i <= 59; i++) check(alice, undefined)
    time.advance(16_000) // 17.5 s into the window: 42.5 s left → 43
    expect(sync(check(alice, undefined))).toEqual({
      allowed: true,
      headers: { 'ratelimit-policy': '60;w=60', ratelimit: 'limit=60, remaining=0, reset=43' },
    })
    expect(sync(check(alice, undefined))).toEqual({
      allowed: false,
      headers: { 'ratelimit-policy': '60;w=60', ratelimit: 'limit=60, remaining=0, reset=43', 'retry-after': '43' },
    })
    time.advance(42_499)
    expect(sync(check(alice, undefined)).headers['retry-after']).toBe('1')
    time.advance(1) // the window is over
    expect(sync(check(alice, undefined))).toEqual({
      allowed: true,
      headers: { 'ratelimit-policy': '60;w=60', ratelimit: 'limit=60, remaining=59, reset=60' },
    })
  })

  it('takes max and windowMs, overall and per route; the policy rounds the window up to seconds', () => {
    const limiter = createRateLimiter({ max: 3, windowMs: 10_000, routes: { refresh: { max: 1 }, call: { windowMs: 1_500 } } }, { now: clock().now })
    expect(sync(limiter.forRoute('user')!(alice, undefined)).headers).toEqual({ 'ratelimit-policy': '3;w=10', ratelimit: 'limit=3, remaining=2, reset=10' })
    expect(sync(limiter.forRoute('call')!(alice, undefined)).headers).toEqual({ 'ratelimit-policy': '3;w=2', ratelimit: 'limit=3, remaining=2, reset=2' })
    const refresh = limiter.forRoute('refresh')!
    expect(sync(refresh(alice, undefined)).allowed).toBe(true)
    expect(sync(refresh(alice, undefined))).toEqual({
      allowed: false,
      headers: { 'ratelimit-policy': '1;w=10', ratelimit: 'limit=1, remaining=0, reset=10', 'retry-after': '10' },
    })
  })

  it('counts per principal, whatever the IP; anonymous requests per IP', () => {
    const check = createRateLimiter({ max: 2 }).forRoute('user')!
    const allowed = (...args: Parameters<RateLimitCheck>) => sync(check(...args)).allowed
    expect([allowed(alice, '10.0.0.1'), allowed(alice, '10.0.0.2'), allowed(alice, undefined)]).toEqual([true, true, false])
    expect(allowed(bob, '10.0.0.1')).toBe(true)
    expect([allowed(null, '10.0.0.1'), allowed(null, '10.0.0.1'), allowed(null, '10.0.0.1')]).toEqual([true, true, false])
    expect(allowed(null, '10.0.0.2')).toBe(true)
    expect([allowed(null, undefined), allowed(null, ''), allowed(null, undefined)]).toEqual([true, true, false]) // one 'unknown' budget
  })

  it('counts anonymous IPv6 clients per /56 and IPv4-mapped clients as their IPv4', () => {
    const check = createRateLimiter({ max: 2 }).forRoute('user')!
    const allowed = (ip: string) => sync(check(null, ip)).allowed
    expect([allowed('2001:db8:1:100::1'), allowed('2001:db8:1:1ff:ffff::9%eth0'), allowed('2001:db8:1:1aa::2')]).toEqual([true, true, false])
    expect(allowed('2001:db8:1:200::1')).toBe(true) // the next /56
    expect([allowed('192.0.2.1'), allowed('::ffff:192.0.2.1'), allowed('::FFFF:c000:201')]).toEqual([true, true, false])
  })

  it('counts each route separately, in one shared store, under route-qualified keys', () => {
    const keys: string[] = []
    const memory = memoryRateLimitStore()
    const store: RateLimitStore = { hit: (key, windowMs) => (keys.push(key), memory.hit(key, windowMs)) }
    const limiter = createRateLimiter({ max: 1, store })
    const user = limiter.forRoute('user')!
    const call = limiter.forRoute('call')!
    expect([sync(user(alice, undefined)).allowed, sync(user(alice, undefined)).allowed]).toEqual([true, false])
    expect(sync(call(alice, undefined)).allowed).toBe(true)
    expect(sync(limiter.forRoute('appointment')!(null, '2001:db8::1')).allowed).toBe(true)
    expect(keys).toEqual(['user:user:alice', 'user:user:alice', 'call:user:alice', 'appointment:ip:2001:db8::/56'])
    expect(memory.size).toBe(3)
  })

  it('answers a promise with an async store', async () => {
    const counts = new Map<string, number>()
    const store: RateLimitStore = {
      hit: async (key, windowMs) => {
        counts.set(key, (counts.get(key) ?? 0) + 1)
        return { count: counts.get(key)!, resetInMs: windowMs - 250 }
      },
    }
    const check = createRateLimiter({ max: 1, store }).forRoute('user')!
    const first = check(alice, undefined)
    expect(first).toBeInstanceOf(Promise)
    expect(await first).toEqual({ allowed: true, headers: { 'ratelimit-policy': '1;w=60', ratelimit: 'limit=1, remaining=0, reset=60' } })
    expect(await check(alice, undefined)).toEqual({
      allowed: false,
      headers: { 'ratelimit-policy': '1;w=60', ratelimit: 'limit=1, remaining=0, reset=60', 'retry-after': '60' },
    })
  })

  it('is off with false: no check for any route', () => {
    const limiter = createRateLimiter(false)
    expect(limiter.forRoute('user')).toBeUndefined()
    expect(limiter.forRoute('anything')).toBeUndefined()
  })

  it.each([
    [{ max: 0 }, 'user'],
    [{ max: 1.5 }, 'user'],
    [{ max: -1 }, 'user'],
    [{ windowMs: 999 }, 'user'],
    [{ windowMs: 1000.5 }, 'user'],
    [{ routes: { refresh: { max: 0 } } }, 'refresh'],
    [{ routes: { refresh: { windowMs: 10 } } }, 'refresh'],
  ])('refuses the limit %o at forRoute (%s)', (options, route) => {
    const limiter = createRateLimiter(options) // the limit is checked per route
    expectConfigError(() => limiter.forRoute(route), new RegExp(`rateLimit for ${route}`))
  })

  it('refuses a bad route limit only for that route', () => {
    const limiter = createRateLimiter({ routes: { refresh: { max: 0 } } })
    expect(limiter.forRoute('user')).toBeTypeOf('function')
    expectConfigError(() => limiter.forRoute('refresh'))
  })

  it('refuses ambiguous or unusable stores at creation', () => {
    const store = memoryRateLimitStore()
    const redis = { call: async () => [1, 1000] }
    expectConfigError(() => createRateLimiter({ store, redis }), /store or redis/)
    expectConfigError(() => createRateLimiter({ store, prefix: 'x:' }), /prefix/)
    expectConfigError(() => createRateLimiter({ redis: {} }), /ioredis/)
    expectConfigError(() => createRateLimiter({ redis: 'redis://localhost' }), /ioredis/)
    expectConfigError(() => createRateLimiter({ store: {} as RateLimitStore }), /hit/)
  })

  it('builds the Redis store from redis and prefix: one EVAL per hit, the key under the prefix', async () => {
    const calls: unknown[][] = []
    const redis = { call: async (...args: unknown[]) => (calls.push(args), [7, 30_500]) }
    const check = createRateLimiter({ max: 5, redis, prefix: 'app:rl:' }).forRoute('call')!
    expect(await check(bob, undefined)).toEqual({
      allowed: false,
      headers: { 'ratelimit-policy': '5;w=60', ratelimit: 'limit=5, remaining=0, reset=31', 'retry-after': '31' },
    })
    expect(calls).toHaveLength(1)
    expect(calls[0]).toEqual(['EVAL', expect.stringContaining('INCR'), 1, 'app:rl:call:user:bob', 60_000])
    await createRateLimiter({ redis }).forRoute('user')!(null, '::ffff:10.1.2.3')
    expect(calls[1]![3]).toBe('calltoken:rl:user:ip:10.1.2.3')
  })

  describe('a failing store', () => {
    type Logged = { level: 'error' | 'warn'; details: Record<string, unknown>; message: string }
    function logs() {
      const lines: Logged[] = []
      return {
        lines,
        logger: {
          error: (details: Record<string, unknown>, message: string) => void lines.push({ level: 'error', details, message }),
          warn: (details: Record<string, unknown>, message: string) => void lines.push({ level: 'warn', details, message }),
        },
      }
    }
    /** A store that fails, hangs or answers, as the test says, one hit at a time. */
    function switchable() {
      let mode: 'up' | 'refusing' | 'hung' | 'throwing' = 'up'
      let count = 0
      let calls = 0
      const store: RateLimitStore = {
        hit(_key, windowMs) {
          calls++
          if (mode === 'throwing') throw new Error('store exploded')
          if (mode === 'refusing') return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379 (secret-in-message)'))
          if (mode === 'hung') return new Promise(() => {})
          return Promise.resolve({ count: ++count, resetInMs: windowMs })
        },
      }
      return { store, set: (next: typeof mode) => void (mode = next), calls: () => calls }
    }

    it('fails closed by default: 503 verdict with Retry-After 1, logged once per outage, counted again once it answers', async () => {
      vi.useFakeTimers()
      try {
        const { store, set, calls } = switchable()
        const { lines, logger } = logs()
        const check = createRateLimiter({ max: 100, store }, { logger, redact: (text) => text.replace('secret-in-message', '[redacted]') }).forRoute('user')!
        expect(await check(alice, undefined)).toMatchObject({ allowed: true })
        set('refusing')
        for (let i = 0; i < 5; i++) expect(await check(alice, undefined)).toEqual({ allowed: false, outage: 'unavailable', headers: { 'retry-after': '1' } })
        // Only the first failure reached the store: within a second of it, the others were answered at once.
        expect(calls()).toBe(2)
        expect(lines).toHaveLength(1)
        expect(lines[0]).toMatchObject({ level: 'error', details: { cause: 'connect ECONNREFUSED 127.0.0.1:6379 ([redacted])', timeoutMs: 250 } })
        expect(lines[0]!.message).toMatch(/answered 503/)
        set('up')
        expect(await check(alice, undefined)).toMatchObject({ outage: 'unavailable' }) // not yet probed again
        await vi.advanceTimersByTimeAsync(1000)
        expect(await check(alice, undefined)).toMatchObject({ allowed: true, headers: { ratelimit: 'limit=100, remaining=98, reset=60' } })
        expect(await check(alice, undefined)).toMatchObject({ allowed: true })
        expect(lines.map((line) => line.level)).toEqual(['error', 'warn'])
        set('throwing') // a second outage is logged again, once
        await check(alice, undefined)
        await vi.advanceTimersByTimeAsync(1000)
        await check(alice, undefined)
        expect(lines.map((line) => line.level)).toEqual(['error', 'warn', 'error'])
      } finally {
        vi.useRealTimers()
      }
    })

    it('bounds the wait for a hung store by storeTimeoutMs (default 250 ms)', async () => {
      vi.useFakeTimers()
      try {
        const { store, set } = switchable()
        set('hung')
        const check = createRateLimiter({ store }).forRoute('user')!
        const verdict = check(alice, undefined) as Promise<unknown>
        let settled = false
        void verdict.then(() => (settled = true))
        await vi.advanceTimersByTimeAsync(249)
        expect(settled).toBe(false)
        await vi.advanceTimersByTimeAsync(1)
        expect(await verdict).toMatchObject({ allowed: false, outage: 'unavailable' })
        const quick = createRateLimiter({ store, storeTimeoutMs: 20 }).forRoute('user')!(alice, undefined) as Promise<unknown>
        await vi.advanceTimersByTimeAsync(20)
        expect(await quick).toMatchObject({ outage: 'unavailable' })
        expect(vi.getTimerCount()).toBe(0)
      } finally {
        vi.useRealTimers()
      }
    })

    it('fails open with failOpen: true, uncounted and without quota headers, also logged once', async () => {
      const { store, set } = switchable()
      const { lines, logger } = logs()
      const check = createRateLimiter({ max: 1, store, failOpen: true }, { logger }).forRoute('user')!
      expect(await check(alice, undefined)).toMatchObject({ allowed: true })
      set('refusing')
      for (let i = 0; i < 3; i++) expect(await check(alice, undefined)).toEqual({ allowed: true, outage: 'uncounted', headers: {} })
      expect(lines).toHaveLength(1)
      expect(lines[0]!.message).toMatch(/go through uncounted/)
    })

    it('refuses a storeTimeoutMs or failOpen that makes no sense, at start-up', () => {
      for (const storeTimeoutMs of [0, -1, 1.5, 60_001, Number.NaN]) {
        expect(() => createRateLimiter({ storeTimeoutMs })).toThrow(/storeTimeoutMs/)
      }
      expect(() => createRateLimiter({ failOpen: 'yes' as never })).toThrow(/failOpen/)
    })

    it('never times the in-memory store: its verdict stays synchronous', () => {
      const check = createRateLimiter({ max: 1 }).forRoute('user')!
      expect(check(alice, undefined)).not.toBeInstanceOf(Promise)
    })
  })
})
