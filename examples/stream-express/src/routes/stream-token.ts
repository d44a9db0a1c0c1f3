import { isCallTokenError, type CallTokenErrorCode, type TokenService } from '@calltoken/core'
import type { Principal } from '@calltoken/express'
import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import { rateLimit } from 'express-rate-limit'
import { recordIssuedToken } from '../audit'
import type { Authenticate } from '../auth'
import type { Config } from '../config'
import type { Db } from '../db/client'

export interface StreamTokenRouteOptions {
  readonly service: TokenService
  readonly db: Db
  readonly authenticate: Authenticate
  readonly rateLimit: Config['rateLimit']
}

interface Locals {
  principal: Principal
}

const NO_STORE = 'no-store'

/** Seed 002's envelope: `{ success: false, message, code }` (code added so clients need not parse the text). */
function fail(res: Response, status: number, code: CallTokenErrorCode | 'ERR_INTERNAL', message: string): void {
  res.status(status).set('cache-control', NO_STORE).json({ success: false, message, code })
}

/**
 * Seed 002: POST /v1/stream/token (mounted at /api). The user comes from the bearer JWT, never from the body
 * (which is ignored); the answer is `{ success, data: { token, userId, expiresAt }, message }`. Every token
 * issued is recorded in issued_tokens before it is sent.
 */
export function streamTokenRoute({ service, db, authenticate, rateLimit: limit }: StreamTokenRouteOptions): Router {
  const router = express.Router()

  const requireUser = async (req: Request, res: Response<unknown, Locals>, next: NextFunction) => {
    let principal: Principal | null
    try {
      principal = await authenticate(req)
    } catch (error) {
      // The users table could not be read: answer in this route's envelope, details to the log.
      req.log.error({ err: error }, 'authentication failed')
      return fail(res, 500, 'ERR_INTERNAL', 'Failed to generate video call token')
    }
    if (!principal) {
      res.set('www-authenticate', 'Bearer')
      return fail(res, 401, 'ERR_CALLTOKEN_UNAUTHENTICATED', 'User not authenticated')
    }
    res.locals.principal = principal
    next()
  }

  // After authentication, so the limit is per user (seed 002: "rate limiting the token endpoint").
  const perUserLimit = rateLimit({
    windowMs: limit.windowMs,
    limit: limit.max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (_req, res) => `user:${(res.locals as Locals).principal.userId}`,
    handler: (_req, res) => fail(res, 429, 'ERR_CALLTOKEN_RATE_LIMITED', 'Too many token requests; retry after the number of seconds in Retry-After'),
  })

  router.post('/v1/stream/token', requireUser, perUserLimit, async (req: Request, res: Response<unknown, Locals>) => {
    const { userId } = res.locals.principal
    try {
      const issued = await service.createUserToken({ userId })
      await recordIssuedToken(db, { kind: 'user', issued, requestedBy: userId })
      res
        .status(200)
        .set('cache-control', NO_STORE)
        .json({
          success: true,
          data: { token: issued.token, userId: issued.userId, expiresAt: issued.expiresAt.toISOString() },
          message: 'Token generated successfully',
        })
    } catch (error) {
      // A user id the provider refuses is the caller's problem; anything else is ours, and its details stay in the log.
      if (isCallTokenError(error) && error.status < 500) return fail(res, error.status, error.code, error.message)
      req.log.error({ err: redactedError(service, error) }, 'Failed to generate video call token')
      fail(res, 500, isCallTokenError(error) ? error.code : 'ERR_INTERNAL', 'Failed to generate video call token')
    }
  })
  return router
}

/** The error for the log, with the provider's credentials scrubbed from its message and cause. */
function redactedError(service: TokenService, error: unknown): Record<string, unknown> {
  const redact = (text: string) => service.provider.redact(text)
  if (!(error instanceof Error)) return { message: redact(String(error)) }
  const cause = error.cause instanceof Error ? error.cause.message : error.cause === undefined ? undefined : String(error.cause)
  return {
    type: error.name,
    ...(isCallTokenError(error) ? { code: error.code } : {}),
    message: redact(error.message),
    ...(cause === undefined ? {} : { cause: redact(cause) }),
  }
}
