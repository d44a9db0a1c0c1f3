/** What a store answers for one hit: the count in the current window (this hit included) and the time left in it. */
export interface RateLimitHit {
  /** Hits in the current window, this one included (so the first hit of a window is 1). */
  readonly count: number
  /** Milliseconds until the current window ends (≥ 0). */
  readonly resetInMs: number
}

/**
 * Where a rate limiter counts: a fixed window per key. The first hit on a key (or the first after its window ended)
 * starts a window of `windowMs`; every hit until it ends increments the same count. A store may answer synchronously
 * (the in-memory one does, so the hot path allocates no promise) or with a promise (Redis). A rejected promise or a
 * throw is the store's failure: the limiter passes it on unchanged.
 *
 * @example
 * ```ts
 * // A store over some other shared counter service: one atomic "increment, start the window if new" call.
 * const store: RateLimitStore = {
 *   async hit(key, windowMs) {
 *     const { value, ttlMs } = await counters.incrementWithTtl(key, windowMs)
 *     return { count: value, resetInMs: ttlMs }
 *   },
 * }
 * ```
 */
export interface RateLimitStore {
  hit(key: string, windowMs: number): Promise<RateLimitHit> | RateLimitHit
}
