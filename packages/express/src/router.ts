import type { CallTokenProvider } from '@calltoken/core'
import {
  bodyTooLarge,
  BODY_LIMIT_BYTES,
  createTokenHandler,
  TOKEN_ROUTES,
  type CallTokenRouteOptions,
  type TokenHandler,
  type TokenHttpResponse,
  type TokenRouteSpec,
} from '@calltoken/core/http'
import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import { routeLimiter } from './rate-limit'
import { send } from './send'

export type ExpressCallTokenOptions<P extends CallTokenProvider = CallTokenProvider> = CallTokenRouteOptions<P, Request>

/** A token route of the app's own shape: method, path (with params), input and answers. */
export interface ExpressTokenRoute extends TokenRouteSpec<Request> {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  readonly path: string
}

type Run = (request: Omit<Parameters<TokenHandler<Request>['handle']>[0], 'route'>) => Promise<TokenHttpResponse>

/**
 * One route: its own body reader (16 KiB raw bytes, so it works with or without a global express.json(); the shared
 * handler checks the type and parses, exactly as under Fastify), its limiter, and its answers.
 */
function mount(router: Router, options: ExpressCallTokenOptions, handler: TokenHandler<Request>, spec: TokenRouteSpec<Request>, method: ExpressTokenRoute['method'], path: string, run: Run): void {
  const limiter = routeLimiter(options.rateLimit, spec, handler)
  const readBody = express.raw({ type: () => true, limit: BODY_LIMIT_BYTES })
  const handle = (req: Request, res: Response, next: NextFunction) => {
    const body: unknown = req.body
    run({ headers: req.headers, ...(Buffer.isBuffer(body) ? { rawBody: body } : { parsedBody: body }), req }).then(
      (response) => send(res, response),
      next, // Express 4 does not catch rejections itself
    )
  }
  // body-parser's size error becomes this route's error answer; anything else goes to the app's error handler.
  const bodyErrors = (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if ((error as { type?: string } | null)?.type !== 'entity.too.large') return next(error)
    handler.errorResponse(bodyTooLarge(), spec, req).then((response) => send(res, response), next)
  }
  router[method](path, ...(limiter ? [limiter] : []), readBody, handle, bodyErrors)
}

/**
 * An express.Router serving POST /tokens/user, /tokens/call and /tokens/refresh:
 * `app.use('/api', createCallTokenRouter({ provider, authenticate }))`.
 */
export function createCallTokenRouter<P extends CallTokenProvider>(options: ExpressCallTokenOptions<P>): Router {
  const handler = createTokenHandler<CallTokenProvider, Request>(options as ExpressCallTokenOptions)
  const router = express.Router()
  for (const { route, path } of TOKEN_ROUTES) {
    mount(router, options as ExpressCallTokenOptions, handler, handler.routes[route], 'post', path, (request) => handler.handleRoute(handler.routes[route], request))
  }
  return router
}

/**
 * One token route of the app's own shape, with the same options and pipeline as the built-in ones:
 * `app.use('/api', createTokenRoute(options, { name: 'appointment', kind: 'call', method: 'get', path: '/appointments/:id/token', input, respond }))`.
 */
export function createTokenRoute<P extends CallTokenProvider>(options: ExpressCallTokenOptions<P>, spec: ExpressTokenRoute): Router {
  const handler = createTokenHandler<CallTokenProvider, Request>(options as ExpressCallTokenOptions)
  const router = express.Router({ mergeParams: true })
  mount(router, options as ExpressCallTokenOptions, handler, spec, spec.method, spec.path, (request) => handler.handleRoute(spec, request))
  return router
}
