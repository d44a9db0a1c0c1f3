import { configError } from '../errors'
import { clientIpKey } from './client-ip'
import { DEFAULT_RATE_LIMIT_PREFIX, rateLimitKey, routeRateLimit } from './rate-limit'
import { memoryRateLimitStore } from './rate-limit-memory-store'
import { isRedisEvalClient, redisRateLimitStore } from './rate-limit-redis-store'
import { createOutageGuard, RATE_LIMIT_STORE_TIMEOUT_MS } from './rate-limit-outage'
import type { RateLimitHit, RateLimitStore } from './rate-limit-store'
import type { Principal, RateLimitOptions, TokenRouteLogger } from './types'

/**
 * The routes' `rateLimit` options. Give at most one of `store` and `redis`; `prefix` belongs to the Redis store built
 * from `redis` (a custom store namespaces its own keys).
 *
 * @example
 * ```ts
 * const options: RateLimiterOptions = { max: 30, routes: { refresh: { max: 10 } }, store: memoryRateLimitStore({ maxKeys: 10_000 }) }
 * ```
 */
export type RateLimiterOptions = RateLimitOptions

/**
 * The answer for one request. `headers` (lower-case names) go on the response either way; on refusal they include
 * `retry-after`, and the caller answers 429 with `rateLimited()`.
 *
 * @example
 * ```ts
 * { allowed: true, headers: { 'ratelimit-policy': '60;w=60', ratelimit: 'limit=60, remaining=59, reset=60' } }
 * { allowed: false, headers: { 'ratelimit-policy': '60;w=60', ratelimit: 'limit=60, remaining=0, reset=42', 'retry-after': '42' } }
 * ```
 */
export interface RateLimitVerdict {
  readonly allowed: boolean
  readonly headers: Record<string, string>
  /** Set when the store failed: refused as `unavailable` (fail closed, 503) or let through `uncounted` (fail open). */
  readonly outage?: 'unavailable' | 'uncounted'
}

/**
 * Counts one request on one route: per principal when there is one, else per client IP (IPv6 per /56). Synchronous
 * with the in-memory store; a promise with Redis. Never rejects: a failed store is a verdict with `outage` set.
 *
 * @example
 * ```ts
 * const verdict = await check(await handler.principalOf(req), req.ip)
 * ```
 */
export type RateLimitCheck = (principal: Principal | null, clientIp: string | undefined) => Promise<RateLimitVerdict> | RateLimitVerdict

/**
 * One limiter per app (per set of routes): all its routes count in one store, each route under its own keys.
 *
 * @example
 * ```ts
 * const check = limiter.forRoute('user') // undefined when rate limiting is off
 * ```
 */
export interface RateLimiter {
  /** The check for one route (by name), or undefined when rate limiting is off. Throws INVALID_CONFIG for a bad limit. */
  forRoute(routeName: string): RateLimitCheck | undefined
}

export interface RateLimiterEnvironment {
  /** The clock of the default in-memory store, in epoch milliseconds. Default `Date.now`. */
  readonly now?: () => number
  /** Where a store outage is reported: once when it starts, once when it ends. */
  readonly logger?: TokenRouteLogger
  /** Scrubs credentials from a store's error message before it is logged. Default: as it is. */
  readonly redact?: (text: string) => string
}

/** What a request gets while the store is failing and the limiter fails closed: ask again in a second. */
const UNAVAILABLE: RateLimitVerdict = Object.freeze({ allowed: false, outage: 'unavailable', headers: Object.freeze({ 'retry-after': '1' }) as Record<string, string> })
const UNCOUNTED: RateLimitVerdict = Object.freeze({ allowed: true, outage: 'uncounted', headers: Object.freeze({}) as Record<string, string> })

/**
 * The framework-neutral rate limiter behind every binding: a fixed window per route and principal (per IP when
 * anonymous), 60 requests a minute by default, counted in memory, in Redis when `redis` (an ioredis client) is given
 * (shared by every instance using the same server and prefix), or in the app's own `store`. Answers the headers of
 * the IETF draft "RateLimit header fields" as express-rate-limit's `standardHeaders: 'draft-7'` sends them.
 *
 * Keys are `<route>:user:<userId>` and `<route>:ip:<clientIpKey(ip)>`; the Redis store prepends its prefix
 * (default "calltoken:rl:"), e.g. `calltoken:rl:user:user:alice`, the layout the express binding already used.
 *
 * @example
 * ```ts
 * const limiter = createRateLimiter({ max: 60, windowMs: 60_000, redis, prefix: 'myapp:rl:' })
 * const checkUser = limiter.forRoute('user')
 * if (checkUser) {
 *   const verdict = await checkUser(principal, req.ip)
 *   for (const [name, value] of Object.entries(verdict.headers)) res.setHeader(name, value)
 *   if (!verdict.allowed) return answer(rateLimited()) // 429
 * }
 * ```
 */
export function createRateLimiter(options: RateLimiterOptions | false | undefined, { now = Date.now, logger, redact = (text) => text }: RateLimiterEnvironment = {}): RateLimiter {
  if (options === false) return { forRoute: () => undefined }
  const store = storeFor(options, now)
  const guard = createOutageGuard({ ...outageOptions(options), logger, redact })
  return {
    forRoute(routeName) {
      const limit = routeRateLimit(options, routeName)
      if (!limit) return undefined
      const { max, windowMs } = limit
      const policy = `${max};w=${Math.ceil(windowMs / 1000)}`
      const verdictOf = (hit: RateLimitHit): RateLimitVerdict => {
        const reset = Math.max(0, Math.ceil(hit.resetInMs / 1000))
        const headers: Record<string, string> = {
          'ratelimit-policy': policy,
          ratelimit: `limit=${max}, remaining=${Math.max(0, max - hit.count)}, reset=${reset}`,
        }
        const allowed = hit.count <= max
        if (!allowed) headers['retry-after'] = String(reset)
        return { allowed, headers }
      }
      const settle = (hit: RateLimitHit | 'unavailable' | 'uncounted') => (hit === 'unavailable' ? UNAVAILABLE : hit === 'uncounted' ? UNCOUNTED : verdictOf(hit))
      return (principal, clientIp) => {
        const hit = guard(() => store.hit(`${routeName}:${rateLimitKey(principal, clientIpKey(clientIp))}`, windowMs))
        return hit instanceof Promise ? hit.then(settle) : settle(hit)
      }
    },
  }
}

function storeFor(options: RateLimiterOptions | undefined, now: () => number): RateLimitStore {
  const custom = options?.store
  const redis = options?.redis
  if (custom !== undefined) {
    if (redis !== undefined) throw configError('rateLimit: give either store or redis, not both')
    if (options?.prefix !== undefined) throw configError('rateLimit.prefix applies to the Redis store built from rateLimit.redis; give a custom store its own prefix')
    if (typeof custom !== 'object' || custom === null || typeof custom.hit !== 'function') throw configError('rateLimit.store must have a hit(key, windowMs) method')
    return custom
  }
  if (redis !== undefined) {
    if (!isRedisEvalClient(redis)) throw configError('rateLimit.redis must be an ioredis client (one with call() or eval())')
    return redisRateLimitStore(redis, { prefix: options?.prefix ?? DEFAULT_RATE_LIMIT_PREFIX })
  }
  return memoryRateLimitStore({ now })
}

function outageOptions(options: RateLimiterOptions | undefined): { timeoutMs: number; failOpen: boolean } {
  const { storeTimeoutMs = RATE_LIMIT_STORE_TIMEOUT_MS, failOpen = false } = options ?? {}
  if (!Number.isInteger(storeTimeoutMs) || storeTimeoutMs < 1 || storeTimeoutMs > 60_000) throw configError('rateLimit.storeTimeoutMs must be a whole number of milliseconds from 1 to 60000')
  if (typeof failOpen !== 'boolean') throw configError('rateLimit.failOpen must be true or false')
  return { timeoutMs: storeTimeoutMs, failOpen }
}
