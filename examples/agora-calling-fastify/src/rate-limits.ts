import type { FastifyRequest } from 'fastify'
import { AppError } from './errors.ts'

/** The original API's limits, per user and route. The token route's goes to calltoken's tokenRoute (routes/token.ts). */
export const RATE_LIMITS = {
  token: { max: 60, timeWindow: 60_000 },
  create: { max: 10, timeWindow: 3_600_000 },
  join: { max: 100, timeWindow: 60_000 },
  analytics: { max: 20, timeWindow: 60_000 },
} as const

/**
 * Route `config` for @fastify/rate-limit, keyed by the authenticated user (set by the onRequest auth hook,
 * which runs before route-level hooks), so users behind one NAT do not share a budget.
 * Counts live in this process's memory: several instances need the plugin's `redis` option.
 */
export function perUserLimit(name: keyof typeof RATE_LIMITS) {
  return { rateLimit: { ...RATE_LIMITS[name], keyGenerator: (request: FastifyRequest) => `${name}:${request.caller.id}` } }
}

export const rateLimitExceeded = (_request: FastifyRequest, context: { after: string }) =>
  new AppError(429, 'RATE_LIMITED', `Too many requests; retry in ${context.after}`)
