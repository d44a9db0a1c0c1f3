import { isCallTokenError, type CallTokenProvider, type TokenKind } from '@calltoken/core'
import {
  bodyTooLarge,
  BODY_LIMIT_BYTES,
  createTokenHandler,
  TOKEN_ROUTES,
  type CallTokenRouteOptions,
  type TokenHandler,
  type TokenHttpRequest,
  type TokenHttpResponse,
  type TokenRouteSpec,
} from '@calltoken/core/http'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { fastifyOnly } from './fastify-only'
import type { RegisteredProvider } from './register'
import { drainRequest } from './drain'
import { send } from './send'

export type FastifyCallTokenRouteOptions<P extends CallTokenProvider = CallTokenProvider> = CallTokenRouteOptions<P, FastifyRequest>

/**
 * A token route of the app's own shape: method (lower case), path (with params), input and answers. `respond` gets
 * the token with the provider's types for the route's kind (a call route: `callId`, `role` and the call's `connect`).
 */
export type FastifyTokenRoute<P extends CallTokenProvider = CallTokenProvider, Kind extends TokenKind = TokenKind> = TokenRouteSpec<FastifyRequest, P, Kind>


type Run = (request: TokenHttpRequest<FastifyRequest>) => Promise<TokenHttpResponse>

/** Raw bodies and the shared error envelope, in this (encapsulated) plugin's context only. */
async function prepare(fastify: FastifyInstance, options: FastifyCallTokenRouteOptions, spec?: TokenRouteSpec<FastifyRequest>): Promise<TokenHandler<FastifyRequest>> {
  const handler = createTokenHandler<CallTokenProvider, FastifyRequest>(options)

  // Raw bytes, no Ajv: the shared handler checks the content type and parses strictly, exactly as under Express.
  // Removing the inherited parsers here also keeps the app's own (a custom JSON parser) away from these routes.
  fastify.removeAllContentTypeParsers()
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES }, (_request, body, done) => done(null, body))

  // Body-size refusals answer in the route's own error shape; anything else goes to the app's handler.
  fastify.setErrorHandler(async (error, request, reply) => {
    if (isCallTokenError(error)) return send(reply, await handler.errorResponse(error, spec, request))
    if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      drainRequest(request, reply)
      return send(reply, await handler.errorResponse(bodyTooLarge(BODY_LIMIT_BYTES), spec, request))
    }
    throw error
  })

  return handler
}

function route(fastify: FastifyInstance, method: TokenRouteSpec['method'], url: string, run: Run): void {
  fastify.route({
    method: method.toUpperCase() as Uppercase<typeof method>,
    url,
    handler: async (request, reply) => {
      const body: unknown = request.body
      // Only our buffer parser runs here; anything else was put there by a hook of the app, and is refused.
      const given = Buffer.isBuffer(body) || typeof body === 'string' ? { rawBody: body } : body === undefined ? {} : { parsedBody: body }
      return send(reply, await run({ headers: request.headers, clientIp: request.ip, ...given, req: request }))
    },
  })
}

/**
 * POST /tokens/user, /tokens/call and /tokens/refresh as an encapsulated plugin, so `prefix` works. Its routes read
 * their bodies themselves: the app's content-type parsers do not apply to them.
 *
 * @example
 * app.register(callTokenRoutes, { prefix: '/api', provider: stream({ apiKey, apiSecret }), authenticate: bearerJwt({ secret }) })
 */
export const callTokenRoutes = fastifyOnly(async (fastify, options: FastifyCallTokenRouteOptions<RegisteredProvider>) => {
  const handler = await prepare(fastify, options as FastifyCallTokenRouteOptions)
  for (const { route: name, path } of TOKEN_ROUTES) {
    if (!handler.routes.includes(name)) continue
    route(fastify, 'post', path, handler.builtInRoute(name))
  }
})

/**
 * One token route of the app's own shape, with the same options and pipeline as the built-in ones.
 *
 * @example
 * app.register(tokenRoute, { ...options, prefix: '/api', route: { name: 'appointment', kind: 'call', method: 'get', path: '/appointments/:id/token', input, respond } })
 */
export const tokenRoute = fastifyOnly(async (fastify, options: FastifyCallTokenRouteOptions<RegisteredProvider> & {
  /** The route: name, kind, method, path, input, and optionally respond and respondError. */
  route: FastifyTokenRoute<RegisteredProvider>
}) => {
  const spec = options.route as FastifyTokenRoute
  const handler = await prepare(fastify, options as FastifyCallTokenRouteOptions, spec)
  handler.prepareRoute(spec)
  route(fastify, spec.method, spec.path, (request) => handler.handleRoute(spec, request))
})
