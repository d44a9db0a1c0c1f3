import { describe, expect, it } from 'vitest'
import { isCallTokenError } from '../../src/index'
import { memoryRateLimitStore } from '../../src/http/index'

function clock(start = 1_000_000) {
  let t = start
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

describe('memoryRateLimitStore', () => {
  it('counts within a fixed window started by the first hit, answers the time left, and starts a new window after it', () => {
    const time = clock()
    const store = memoryRateLimitStore({ now: time.now })
    expect(store.hit('k', 10_000)).toEqual({ count: 1, resetInMs: 10_000 })
    time.advance(2_500)
    expect(store.hit('k', 10_000)).toEqual({ count: 2, resetInMs: 7_500 })
    time.advance(7_499)
    expect(store.hit('k', 10_000)).toEqual({ count: 3, resetInMs: 1 })
    time.advance(1) // the window ends exactly now
    expect(store.hit('k', 10_000)).toEqual({ count: 1, resetInMs: 10_000 })
    time.advance(1)
    expect(store.hit('k', 10_000)).toEqual({ count: 2, resetInMs: 9_999 })
    expect(store.size).toBe(1)
  })

  it('is synchronous (no promise on the hot path)', () => {
    const result = memoryRateLimitStore().hit('k', 1000)
    expect(result).not.toBeInstanceOf(Promise)
    expect(result.count).toBe(1)
  })

  it('keeps keys apart', () => {
    const time = clock()
    const store = memoryRateLimitStore({ now: time.now })
    store.hit('a', 1000)
    store.hit('a', 1000)
    expect(store.hit('b', 1000).count).toBe(1)
    expect(store.hit('a', 1000).count).toBe(3)
  })

  it('sweeps expired windows before evicting live ones when full', () => {
    const time = clock()
    const store = memoryRateLimitStore({ maxKeys: 10, now: time.now })
    for (let i = 0; i < 5; i++) store.hit(`short${i}`, 1_000)
    for (let i = 0; i < 5; i++) store.hit(`long${i}`, 60_000)
    expect(store.size).toBe(10)
    time.advance(2_000)
    store.hit('new', 1_000)
    expect(store.size).toBe(6) // the five expired windows went, no live one
    for (let i = 0; i < 5; i++) expect(store.hit(`long${i}`, 60_000).count).toBe(2)
  })

  it('evicts the oldest inserted keys when every window is live (their counters start again)', () => {
    const time = clock()
    const store = memoryRateLimitStore({ maxKeys: 3, now: time.now })
    store.hit('a', 60_000)
    store.hit('b', 60_000)
    store.hit('c', 60_000)
    store.hit('c', 60_000)
    store.hit('d', 60_000) // evicts a
    expect(store.size).toBe(3)
    expect(store.hit('c', 60_000).count).toBe(3)
    expect(store.hit('d', 60_000).count).toBe(2)
    expect(store.hit('a', 60_000).count).toBe(1) // a was reset; b (now the oldest) goes
    expect(store.hit('b', 60_000).count).toBe(1)
    expect(store.size).toBe(3)
  })

  it('stays within maxKeys under 200 000 distinct keys, quickly', () => {
    const time = clock()
    const store = memoryRateLimitStore({ maxKeys: 1_000, now: time.now })
    const started = performance.now()
    for (let i = 0; i < 200_000; i++) {
      store.hit(`ip:attacker-${i}`, 60_000)
      if (store.size > 1_000) throw new Error(`size ${store.size} after ${i + 1} keys`)
      if (i % 1000 === 0) time.advance(1)
    }
    expect(store.size).toBeLessThanOrEqual(1_000)
    expect(performance.now() - started).toBeLessThan(2_000)
  })

  it('stays within the default bound (100 000) under 200 000 distinct keys', () => {
    const store = memoryRateLimitStore()
    for (let i = 0; i < 200_000; i++) store.hit(`ip:${i}`, 60_000)
    expect(store.size).toBeLessThanOrEqual(100_000)
    expect(store.size).toBeGreaterThan(90_000)
    expect(store.hit('ip:199999', 60_000).count).toBe(2) // the newest keys are still counted
  })

  it.each([0, -1, 1.5, Number.NaN])('refuses maxKeys %s', (maxKeys) => {
    try {
      memoryRateLimitStore({ maxKeys })
      expect.unreachable()
    } catch (error) {
      expect(isCallTokenError(error) && error.code).toBe('ERR_CALLTOKEN_INVALID_CONFIG')
    }
  })
})
