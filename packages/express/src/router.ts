import type { CallTokenProvider } from '@calltoken/core'
import { bodyTooLarge, BODY_LIMIT_BYTES, createTokenHandler, TOKEN_ROUTES, type CallTokenRouteOptions } from '@calltoken/core/http'
import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import { routeLimiter } from './rate-limit'
import { send } from './send'

export type ExpressCallTokenOptions<P extends CallTokenProvider = CallTokenProvider> = CallTokenRouteOptions<P, Request>

/**
 * An express.Router serving POST /tokens/user, /tokens/call and /tokens/refresh:
 * `app.use('/api', createCallTokenRouter({ provider, authenticate }))`.
 * It reads its own body (16 KiB), so it works with or without a global express.json().
 */
export function createCallTokenRouter<P extends CallTokenProvider>(options: ExpressCallTokenOptions<P>): Router {
  const handler = createTokenHandler<P, Request>(options)
  const router = express.Router()
  // Raw bytes: the shared handler checks the content type and parses the JSON, exactly as under Fastify.
  router.use(express.raw({ type: () => true, limit: BODY_LIMIT_BYTES }))

  for (const { route, path } of TOKEN_ROUTES) {
    const limiter = routeLimiter(options.rateLimit, route, handler)
    const handle = (req: Request, res: Response, next: NextFunction) => {
      const body: unknown = req.body
      handler
        .handle({
          route,
          headers: req.headers,
          ...(Buffer.isBuffer(body) ? { rawBody: body } : { parsedBody: body }),
          req,
        })
        .then((response) => send(res, response), next) // Express 4 does not catch rejections itself
    }
    router.post(path, ...(limiter ? [limiter, handle] : [handle]))
  }

  // body-parser's own errors (size) become the shared envelope; anything else goes to the app's error handler.
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if ((error as { type?: string } | null)?.type === 'entity.too.large') return send(res, handler.errorResponse(bodyTooLarge()))
    next(error)
  })
  return router
}
