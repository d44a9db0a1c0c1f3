import { rateLimited, rateLimitKey, routeRateLimit, type RateLimitOptions, type TokenHandler, type TokenRouteSpec } from '@calltoken/core/http'
import type { Request, RequestHandler } from 'express'
import { ipKeyGenerator, rateLimit } from 'express-rate-limit'
import { RedisStore, type RedisReply } from 'rate-limit-redis'
import { send } from './send'

/** The ioredis surface rate-limit-redis needs. */
interface RedisLike {
  call(command: string, ...args: string[]): Promise<unknown>
}

/** express-rate-limit for one route: keyed by principal (else IP), in memory or in a shared Redis. */
export function routeLimiter(
  options: RateLimitOptions | false | undefined,
  name: string,
  route: TokenRouteSpec<Request> | undefined,
  handler: TokenHandler<Request>,
): RequestHandler | undefined {
  const limit = routeRateLimit(options, name)
  if (!limit) return undefined
  const redis = options ? (options.redis as RedisLike | undefined) : undefined
  return rateLimit({
    windowMs: limit.windowMs,
    limit: limit.max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: async (req) => rateLimitKey(await handler.principalOf(req), ipKeyGenerator(req.ip ?? '')),
    handler: (req, res, next) => handler.errorResponse(rateLimited(), route, req).then((response) => send(res, response), next),
    ...(redis
      ? {
          store: new RedisStore({
            sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
            prefix: `${(options && options.prefix) || 'calltoken:rl:'}${name}:`,
          }),
        }
      : {}),
  })
}
