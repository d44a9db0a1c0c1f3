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
  type TokenHandler,
  type TokenHttpRequest,
  type TokenHttpResponse,
  type TokenRouteSpec,
} from '@calltoken/core/http'
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit'
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest, HTTPMethods } from 'fastify'
import { send } from './send'

export type FastifyCallTokenRouteOptions<P extends CallTokenProvider = CallTokenProvider> = CallTokenRouteOptions<P, FastifyRequest>

/** A token route of the app's own shape: method, url (with params), input and answers. */
export interface FastifyTokenRoute extends TokenRouteSpec<FastifyRequest> {
  readonly method: HTTPMethods
  readonly url: string
}

type Run = (request: Omit<TokenHttpRequest<FastifyRequest>, 'route'>) => Promise<TokenHttpResponse>

/** Raw bodies, the shared error envelope and the rate limiter, in this (encapsulated) plugin's context only. */
async function prepare(fastify: FastifyInstance, options: FastifyCallTokenRouteOptions, spec?: TokenRouteSpec<FastifyRequest>): Promise<TokenHandler<FastifyRequest>> {
  const handler = createTokenHandler<CallTokenProvider, FastifyRequest>(options)

  // Raw bytes, no Ajv: the shared handler checks the content type and parses strictly, exactly as under Express.
  fastify.removeAllContentTypeParsers()
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES }, (_request, body, done) => done(null, body))

  // Rate-limit and body-size refusals answer in the route's own error shape; anything else goes to the app's handler.
  fastify.setErrorHandler(async (error, request, reply) => {
    if (isCallTokenError(error)) return send(reply, await handler.errorResponse(error, spec, request))
    if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(reply, await handler.errorResponse(bodyTooLarge(), spec, request))
    throw error
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
  return handler
}

function route(fastify: FastifyInstance, options: FastifyCallTokenRouteOptions, handler: TokenHandler<FastifyRequest>, name: string, method: HTTPMethods, url: string, run: Run): void {
  const limit = routeRateLimit(options.rateLimit, name)
  const onRequest = limit
    ? fastify.rateLimit({
        max: limit.max,
        timeWindow: limit.windowMs,
        keyGenerator: async (request) => `${name}:${rateLimitKey(await handler.principalOf(request), normalizeIP(request.ip))}`,
        // Per route, so the envelope is ours even when the limiter is the app's.
        errorResponseBuilder: () => rateLimited(),
      })
    : undefined
  fastify.route({
    method,
    url,
    ...(onRequest ? { onRequest } : {}),
    handler: async (request, reply) => {
      const body: unknown = request.body
      return send(reply, await run({ headers: request.headers, ...(Buffer.isBuffer(body) ? { rawBody: body } : { parsedBody: body }), req: request }))
    },
  })
}

/**
 * POST /tokens/user, /tokens/call and /tokens/refresh as an encapsulated plugin, so `prefix` works:
 * `app.register(callTokenRoutes, { prefix: '/api', provider, authenticate })`.
 */
export const callTokenRoutes: FastifyPluginAsync<FastifyCallTokenRouteOptions> = async (fastify, options) => {
  const handler = await prepare(fastify, options)
  for (const { route: name, path } of TOKEN_ROUTES) {
    route(fastify, options, handler, name, 'POST', path, (request) => handler.handleRoute(handler.routes[name], request))
  }
}

/**
 * One token route of the app's own shape, with the same options and pipeline as the built-in ones:
 * `app.register(tokenRoute, { ...options, prefix: '/api', route: { name, kind: 'call', method: 'GET', url: '/appointments/:id/token', input, respond } })`.
 */
export const tokenRoute: FastifyPluginAsync<FastifyCallTokenRouteOptions & { route: FastifyTokenRoute }> = async (fastify, options) => {
  const spec = options.route
  const handler = await prepare(fastify, options, spec)
  route(fastify, options, handler, spec.name, spec.method, spec.url, (request) => handler.handleRoute(spec, request))
}
