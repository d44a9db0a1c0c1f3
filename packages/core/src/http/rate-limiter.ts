import { configError } from '../errors'
import { clientIpKey } from './client-ip'
import { DEFAULT_RATE_LIMIT_PREFIX, rateLimitKey, routeRateLimit } from './rate-limit'
import { memoryRateLimitStore } from './rate-limit-memory-store'
import { isRedisEvalClient, redisRateLimitStore } from './rate-limit-redis-store'
import type { RateLimitHit, RateLimitStore } from './rate-limit-store'
import type { Principal, RateLimitOptions } from './types'

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
}

/**
 * Counts one request on one route: per principal when there is one, else per client IP (IPv6 per /56). Synchronous
 * with the in-memory store; a promise with Redis, which rejects with the store's error.
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
}

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
export function createRateLimiter(options: RateLimiterOptions | false | undefined, { now = Date.now }: RateLimiterEnvironment = {}): RateLimiter {
  if (options === false) return { forRoute: () => undefined }
  const store = storeFor(options, now)
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
      return (principal, clientIp) => {
        const hit = store.hit(`${routeName}:${rateLimitKey(principal, clientIpKey(clientIp))}`, windowMs)
        return isPromiseLike(hit) ? Promise.resolve(hit).then(verdictOf) : verdictOf(hit)
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

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}
