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

/** A router that reads its own body (16 KiB), so it works with or without a global express.json(). */
function tokenRouter(options: ExpressCallTokenOptions, mount: (router: Router, handler: TokenHandler<Request>) => void): Router {
  const handler = createTokenHandler<CallTokenProvider, Request>(options)
  const router = express.Router({ mergeParams: true })
  // Raw bytes: the shared handler checks the content type and parses the JSON, exactly as under Fastify.
  router.use(express.raw({ type: () => true, limit: BODY_LIMIT_BYTES }))
  mount(router, handler)
  // body-parser's own errors (size) become the shared envelope; anything else goes to the app's error handler.
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if ((error as { type?: string } | null)?.type === 'entity.too.large') return send(res, handler.errorResponse(bodyTooLarge()))
    next(error)
  })
  return router
}

function route(router: Router, method: ExpressTokenRoute['method'], path: string, limiter: express.RequestHandler | undefined, run: Run): void {
  const handle = (req: Request, res: Response, next: NextFunction) => {
    const body: unknown = req.body
    run({ headers: req.headers, ...(Buffer.isBuffer(body) ? { rawBody: body } : { parsedBody: body }), req }).then(
      (response) => send(res, response),
      next, // Express 4 does not catch rejections itself
    )
  }
  router[method](path, ...(limiter ? [limiter, handle] : [handle]))
}

/**
 * An express.Router serving POST /tokens/user, /tokens/call and /tokens/refresh:
 * `app.use('/api', createCallTokenRouter({ provider, authenticate }))`.
 */
export function createCallTokenRouter<P extends CallTokenProvider>(options: ExpressCallTokenOptions<P>): Router {
  return tokenRouter(options as ExpressCallTokenOptions, (router, handler) => {
    for (const { route: name, path } of TOKEN_ROUTES) {
      route(router, 'post', path, routeLimiter(options.rateLimit, name, handler), (request) => handler.handle({ ...request, route: name }))
    }
  })
}

/**
 * One token route of the app's own shape, with the same options and pipeline as the built-in ones:
 * `app.use('/api', createTokenRoute(options, { name: 'appointment', kind: 'call', method: 'get', path: '/appointments/:id/token', input, respond }))`.
 */
export function createTokenRoute<P extends CallTokenProvider>(options: ExpressCallTokenOptions<P>, spec: ExpressTokenRoute): Router {
  return tokenRouter(options as ExpressCallTokenOptions, (router, handler) => {
    route(router, spec.method, spec.path, routeLimiter(options.rateLimit, spec.name, handler), (request) => handler.handleRoute(spec, request))
  })
}
