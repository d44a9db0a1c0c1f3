import { configError } from '../errors'
import type { Principal, RateLimitOptions } from './types'

/**
 * The limit of every route unless `rateLimit` says otherwise: 60 requests a minute.
 *
 * @example
 * ```ts
 * createTokenHandler({ provider, authenticate, rateLimit: { max: DEFAULT_RATE_LIMIT.max * 2 } })
 * ```
 */
export const DEFAULT_RATE_LIMIT = { max: 60, windowMs: 60_000 } as const

/**
 * The prefix of every rate-limit key in Redis unless `rateLimit.prefix` says otherwise.
 *
 * @example
 * ```ts
 * await redis.pttl(`${DEFAULT_RATE_LIMIT_PREFIX}user:user:alice`) // ms left in alice's window on the user route
 * ```
 */
export const DEFAULT_RATE_LIMIT_PREFIX = 'calltoken:rl:'

/**
 * The limit one route (by name) runs under, or false when rate limiting is off. Throws ERR_CALLTOKEN_INVALID_CONFIG
 * unless max is a positive integer and windowMs an integer of at least 1000.
 *
 * @example
 * ```ts
 * routeRateLimit({ max: 100, routes: { refresh: { max: 10 } } }, 'refresh') // { max: 10, windowMs: 60000 }
 * routeRateLimit(false, 'user') // false
 * ```
 */
export function routeRateLimit(options: RateLimitOptions | false | undefined, route: string): { max: number; windowMs: number } | false {
  if (options === false) return false
  const own = options?.routes && Object.hasOwn(options.routes, route) ? options.routes[route] : undefined
  const max = own?.max ?? options?.max ?? DEFAULT_RATE_LIMIT.max
  const windowMs = own?.windowMs ?? options?.windowMs ?? DEFAULT_RATE_LIMIT.windowMs
  if (!Number.isInteger(max) || max < 1 || !Number.isInteger(windowMs) || windowMs < 1000) {
    throw configError(`rateLimit for ${route}: max must be a positive integer and windowMs at least 1000`)
  }
  return { max, windowMs }
}

/**
 * Per principal when there is one, else per client IP key (see clientIpKey, or the framework's own normaliser).
 *
 * @example
 * ```ts
 * rateLimitKey({ userId: 'alice' }, '203.0.113.7') // 'user:alice'
 * rateLimitKey(null, '2001:db8:1234:5600::/56')    // 'ip:2001:db8:1234:5600::/56'
 * ```
 */
export function rateLimitKey(principal: Principal | null, ipKey: string): string {
  return principal ? `user:${principal.userId}` : `ip:${ipKey}`
}
