import type { CallTokenProvider, TokenKind } from '@calltoken/core'
import { configError } from '@calltoken/core/provider'
import {
  bodyReadError,
  BODY_LIMIT_BYTES,
  createTokenHandler,
  TOKEN_ROUTES,
  type CallTokenRouteOptions,
  type TokenHandler,
  type TokenHttpRequest,
  type TokenHttpResponse,
  type TokenRouteSpec,
} from '@calltoken/core/http'
import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import { send } from './send'

export type ExpressCallTokenOptions<P extends CallTokenProvider = CallTokenProvider> = CallTokenRouteOptions<P, Request>

/**
 * A token route of the app's own shape: method (lower case), path (with params), input and answers. `respond` gets
 * the token with the provider's types for the route's kind (a call route: `callId`, `role` and the call's `connect`).
 */
export type ExpressTokenRoute<P extends CallTokenProvider = CallTokenProvider, Kind extends TokenKind = TokenKind> = TokenRouteSpec<Request, P, Kind>

type Run = (request: TokenHttpRequest<Request>) => Promise<TokenHttpResponse>

/**
 * The body as the handler wants it: the raw bytes our express.raw read, or the app's own raw/text parser's. A body
 * an app-wide json/urlencoded parser already turned into an object is passed as `parsedBody`, which the handler
 * refuses with a message saying to mount the routes before that parser. That parser consumed the request stream
 * (body-parser 2 checks the same) or, in body-parser 1, marked it with `_body`; otherwise there was no body.
 */
function bodyOf(req: Request): Partial<Pick<TokenHttpRequest<Request>, 'rawBody' | 'parsedBody'>> {
  const body: unknown = req.body
  if (Buffer.isBuffer(body) || typeof body === 'string') return { rawBody: body }
  const consumed = (req as { _body?: boolean })._body === true || (req.complete && !req.readable)
  return body !== undefined && consumed ? { parsedBody: body } : {}
}

/**
 * One route: its own body reader (16 KiB of raw bytes; the shared handler checks the type and parses, exactly as
 * under Fastify) and its answers. Rate limiting, like everything else, is the shared handler's.
 */
function mount(router: Router, handler: TokenHandler<Request>, spec: TokenRouteSpec<Request> | undefined, method: ExpressTokenRoute['method'], path: string, run: Run): void {
  // inflate: false: a compressed token request is refused (415) as in every binding, never decompressed.
  const readBody = express.raw({ type: () => true, limit: BODY_LIMIT_BYTES, inflate: false })
  const handle = (req: Request, res: Response, next: NextFunction) => {
    run({ headers: req.headers, ...(req.ip === undefined ? {} : { clientIp: req.ip }), ...bodyOf(req), req }).then(
      (response) => send(res, response),
      next, // Express 4 does not catch rejections itself
    )
  }
  // body-parser's refusals (too large, compressed, not what its headers say) become this route's 4xx; anything else
  // goes to the app's error handler.
  const bodyErrors = (error: unknown, req: Request, res: Response, next: NextFunction) => {
    const refused = bodyReadError(error, BODY_LIMIT_BYTES)
    if (!refused) return next(error)
    handler.errorResponse(refused, spec, req).then((response) => send(res, response), next)
  }
  router[method](path, readBody, handle, bodyErrors)
}

/** A router that fails Fastify's registration with a coded error instead of being a silent 404 there. */
function refusingFastify(router: Router): Router {
  type Handle = (req: unknown, res: unknown, next: (error?: unknown) => void) => void
  const routerWithHandle = router as unknown as { handle: Handle }
  const handle = routerWithHandle.handle.bind(router)
  routerWithHandle.handle = (req, res, next) => {
    const looksLikeFastify = typeof req === 'object' && req !== null && typeof (req as { register?: unknown }).register === 'function' && typeof (req as { addHook?: unknown }).addHook === 'function'
    if (looksLikeFastify) return next(configError('@calltoken/express makes Express routers: in Fastify, register callTokenRoutes from @calltoken/fastify'))
    handle(req, res, next)
  }
  return router
}

/**
 * An express.Router serving POST /tokens/user, /tokens/call and /tokens/refresh. Mount it before any app-wide
 * body parser (express.json(), express.urlencoded()): it reads and checks the body itself.
 *
 * @example
 * app.use('/api', createCallTokenRouter({ provider: stream({ apiKey, apiSecret }), authenticate: bearerJwt({ secret }) }))
 * app.use(express.json()) // the app's own routes, after
 */
export function createCallTokenRouter<P extends CallTokenProvider>(options: ExpressCallTokenOptions<P>): Router {
  const handler = createTokenHandler<CallTokenProvider, Request>(options as ExpressCallTokenOptions)
  const router = express.Router()
  for (const { route, path } of TOKEN_ROUTES) {
    if (!handler.routes.includes(route)) continue
    mount(router, handler, undefined, 'post', path, handler.builtInRoute(route))
  }
  return refusingFastify(router)
}

/**
 * One token route of the app's own shape, with the same options and pipeline as the built-in ones.
 *
 * @example
 * app.use('/api', createTokenRoute(options, { name: 'appointment', kind: 'call', method: 'get', path: '/appointments/:id/token', input, respond }))
 */
export function createTokenRoute<P extends CallTokenProvider, Kind extends TokenKind>(options: ExpressCallTokenOptions<P>, spec: ExpressTokenRoute<P, Kind>): Router {
  const handler = createTokenHandler<CallTokenProvider, Request>(options as ExpressCallTokenOptions)
  const route = spec as ExpressTokenRoute
  handler.prepareRoute(route)
  const router = express.Router({ mergeParams: true })
  mount(router, handler, route, route.method, route.path, (request) => handler.handleRoute(route, request))
  return refusingFastify(router)
}
