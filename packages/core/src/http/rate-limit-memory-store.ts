import { configError } from '../errors'
import type { RateLimitHit, RateLimitStore } from './rate-limit-store'

export interface MemoryRateLimitStoreOptions {
  /** Most keys held at once. Default 100 000 (a few MB). */
  readonly maxKeys?: number
  /** The clock, in epoch milliseconds. Default `Date.now`. */
  readonly now?: () => number
}

/** The in-memory store: synchronous, and `size` for monitoring and tests. */
export interface MemoryRateLimitStore extends RateLimitStore {
  hit(key: string, windowMs: number): RateLimitHit
  /** Keys held now (expired windows included until they are swept). */
  readonly size: number
}

interface Window {
  count: number
  readonly endsAt: number
}

/**
 * A fixed-window store in one process's memory (each instance counts alone; use {@link redisRateLimitStore} to share
 * the limit between instances). `hit` is synchronous: a Map lookup and an increment. No timer runs, so the store never
 * keeps a process alive: expired windows are dropped when their key comes back, or swept when the map is full.
 *
 * Memory is bounded by `maxKeys`. When a new key finds the map full, expired windows are swept first (at most once
 * per `maxKeys / 10` such inserts, so the sweep costs O(1) amortised) and, if it is still full, the oldest inserted
 * keys are evicted. Under a flood of distinct keys (e.g. many IPv6 /56 prefixes) eviction therefore resets the oldest
 * counters, which lets those clients start a fresh window early: the price of a fixed memory ceiling.
 *
 * @example
 * ```ts
 * const store = memoryRateLimitStore({ maxKeys: 10_000 })
 * store.hit('user:user:alice', 60_000) // { count: 1, resetInMs: 60000 }
 * store.hit('user:user:alice', 60_000) // { count: 2, resetInMs: 60000 } (a moment later: a little less)
 * ```
 */
export function memoryRateLimitStore({ maxKeys = 100_000, now = Date.now }: MemoryRateLimitStoreOptions = {}): MemoryRateLimitStore {
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw configError('memoryRateLimitStore: maxKeys must be a positive integer')
  const windows = new Map<string, Window>()
  const sweepEvery = Math.max(1, Math.floor(maxKeys / 10))
  let insertsUntilSweep = 1
  // One live iterator walks the keys from the oldest: new windows only ever join at the end, so what it has passed
  // is gone. (A fresh keys() per eviction would rescan the holes deleted entries leave at the front: O(n) each.)
  let cursor = windows.keys()

  /** Frees one slot at least: the expired windows (now and then), else the oldest keys. */
  function makeRoom(at: number): void {
    if (--insertsUntilSweep <= 0) {
      insertsUntilSweep = sweepEvery
      for (const [key, window] of windows) if (window.endsAt <= at) windows.delete(key)
    }
    while (windows.size >= maxKeys) {
      let oldest = cursor.next()
      if (oldest.done) {
        cursor = windows.keys()
        oldest = cursor.next()
        if (oldest.done) return
      }
      windows.delete(oldest.value)
    }
  }

  return {
    hit(key, windowMs) {
      const at = now()
      const current = windows.get(key)
      if (current !== undefined && current.endsAt > at) {
        current.count += 1
        return { count: current.count, resetInMs: current.endsAt - at }
      }
      // A new window goes to the end of the Map, which keeps the Map in insertion (eviction) order.
      if (current !== undefined) windows.delete(key)
      else if (windows.size >= maxKeys) makeRoom(at)
      windows.set(key, { count: 1, endsAt: at + windowMs })
      return { count: 1, resetInMs: windowMs }
    },
    get size() {
      return windows.size
    },
  }
}
