import type { CallTokenProvider } from '@calltoken/core'
import { createTokenRoute } from '@calltoken/express'
import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import { recordIssuedTokens } from '../audit'
import type { Authenticate } from '../auth'
import type { Config } from '../config'
import type { Db } from '../db/client'
import type { Logger } from '../logger'
import { policy } from '../policy'

export interface StreamTokenRouteOptions {
  readonly provider: CallTokenProvider
  readonly db: Db
  readonly authenticate: Authenticate
  readonly rateLimit: Config['rateLimit']
  readonly logger: Logger
  readonly now?: () => number
}

const PATH = '/v1/stream/token'
const FAILED = 'Failed to generate video call token'

/**
 * The signed-in user's token: POST /v1/stream/token (mounted at /api), on the library's pipeline (auth, rate limit
 * per user, onIssued, no-store) in the original API's envelope: `{ success, data: { token, userId, expiresAt }, message }`, errors
 * `{ success: false, message, code }`. The user comes from the bearer JWT, never from the body.
 */
export function streamTokenRoute({ provider, db, authenticate, rateLimit, logger, now }: StreamTokenRouteOptions): Router {
  const router = express.Router()
  // Mounted at its own path, so the route's body parser reads no other route's body.
  router.use(
    PATH,
    createTokenRoute(
      {
        provider,
        policy,
        ...(now ? { now } : {}),
        authenticate,
        rateLimit: { max: rateLimit.max, windowMs: rateLimit.windowMs },
        logger: logger.child({ component: 'calltoken' }),
        onIssued: recordIssuedTokens(db),
      },
      {
        name: 'stream-token',
        kind: 'user',
        method: 'post',
        path: '/',
        input: ({ principal }) => ({ userId: principal!.userId }), // authenticate is set: no principal is a 401 before this
        respond: (issued) => ({
          success: true,
          data: { token: issued.token, userId: issued.userId, expiresAt: issued.expiresAt.toISOString() },
          message: 'Token generated successfully',
        }),
        // A refusal says why; a failure (Stream signing) only that it failed: the library logs the redacted cause.
        respondError: (error) => ({
          success: false,
          message: error.code === 'ERR_CALLTOKEN_UNAUTHENTICATED' ? 'User not authenticated' : error.status < 500 ? error.message : FAILED,
          code: error.code,
        }),
      },
    ),
  )
  // What the pipeline leaves to the framework (the database failing in authenticate or onIssued), in this envelope.
  router.use(PATH, (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error)
    req.log.error({ err: error }, FAILED)
    res.status(500).set('cache-control', 'no-store').json({ success: false, message: FAILED, code: 'ERR_INTERNAL' })
  })
  return router
}
