import { configError, isCallTokenError, type CallTokenProvider } from '@calltoken/core'
import {
  bodyTooLarge,
  BODY_LIMIT_BYTES,
  createTokenHandler,
  rateLimited,
  rateLimitKey,
  routeRateLimit,
  TOKEN_ROUTES,
  type CallTokenRouteOptions,
} from '@calltoken/core/http'
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { send } from './send'

export type FastifyCallTokenRouteOptions<P extends CallTokenProvider = CallTokenProvider> = CallTokenRouteOptions<P, FastifyRequest>

/**
 * POST /tokens/user, /tokens/call and /tokens/refresh as an encapsulated plugin, so `prefix` works:
 * `app.register(callTokenRoutes, { prefix: '/api', provider, authenticate })`.
 */
export const callTokenRoutes: FastifyPluginAsync<FastifyCallTokenRouteOptions> = async (fastify, options) => {
  const handler = createTokenHandler<CallTokenProvider, FastifyRequest>(options)

  // Raw bytes, no Ajv: the shared handler checks the content type and parses strictly, exactly as under Express.
  fastify.removeAllContentTypeParsers()
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES }, (_request, body, done) => done(null, body))

  fastify.setErrorHandler((error, _request, reply) => {
    if (isCallTokenError(error)) return send(reply, handler.errorResponse(error))
    if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(reply, handler.errorResponse(bodyTooLarge()))
    throw error // to the app's own error handler
  })

  const redis = options.rateLimit ? options.rateLimit.redis : undefined
  if (options.rateLimit !== false) {
    // @fastify/rate-limit decorates `rateLimit` only once per tree: when the app registered it already, ours would
    // be ignored and the app's store would count these routes, so a Redis store asked for here could not apply.
    if (fastify.hasDecorator('rateLimit')) {
      if (redis) {
        throw configError(
          'The app already registers @fastify/rate-limit, whose store counts the token routes too: give it the Redis client and leave rateLimit.redis out',
        )
      }
    } else {
      await fastify.register(fastifyRateLimit, { global: false, ...(redis ? { redis, nameSpace: options.rateLimit?.prefix ?? 'calltoken:rl:' } : {}) })
    }
  }

  for (const { route, path } of TOKEN_ROUTES) {
    const limit = routeRateLimit(options.rateLimit, route)
    const onRequest = limit
      ? fastify.rateLimit({
          max: limit.max,
          timeWindow: limit.windowMs,
          keyGenerator: async (request) => `${route}:${rateLimitKey(await handler.principalOf(request), normalizeIP(request.ip))}`,
          // Per route, so the envelope is ours even when the limiter is the app's.
          errorResponseBuilder: () => rateLimited(),
        })
      : undefined
    fastify.post(path, onRequest ? { onRequest } : {}, async (request, reply) => {
      const body: unknown = request.body
      const response = await handler.handle({
        route,
        headers: request.headers,
        ...(Buffer.isBuffer(body) ? { rawBody: body } : { parsedBody: body }),
        req: request,
      })
      return send(reply, response)
    })
  }
}
