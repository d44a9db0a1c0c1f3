import { CallTokenError } from '../errors'
import type { Principal, RateLimitOptions } from './types'

export const DEFAULT_RATE_LIMIT = { max: 60, windowMs: 60_000 } as const

/** The limit one route (by name) runs under, or false when rate limiting is off. */
export function routeRateLimit(options: RateLimitOptions | false | undefined, route: string): { max: number; windowMs: number } | false {
  if (options === false) return false
  const own = options?.routes && Object.hasOwn(options.routes, route) ? options.routes[route] : undefined
  const max = own?.max ?? options?.max ?? DEFAULT_RATE_LIMIT.max
  const windowMs = own?.windowMs ?? options?.windowMs ?? DEFAULT_RATE_LIMIT.windowMs
  if (!Number.isInteger(max) || max < 1 || !Number.isInteger(windowMs) || windowMs < 1000) {
    throw new CallTokenError('ERR_CALLTOKEN_INVALID_CONFIG', `rateLimit for ${route}: max must be a positive integer and windowMs at least 1000`)
  }
  return { max, windowMs }
}

/** Per principal when there is one, else per client IP (already normalised by the framework's limiter). */
export function rateLimitKey(principal: Principal | null, ipKey: string): string {
  return principal ? `user:${principal.userId}` : `ip:${ipKey}`
}

/** The same body in every framework; the wait itself is in the Retry-After header. */
export function rateLimited(): CallTokenError {
  return new CallTokenError('ERR_CALLTOKEN_RATE_LIMITED', 'Too many token requests; retry after the number of seconds in Retry-After')
}
