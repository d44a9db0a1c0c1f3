import type { CallTokenProvider } from '@calltoken/core'
import { createCallTokenRouter } from '@calltoken/express'
import type { Router } from 'express'
import { recordIssuedTokens } from '../audit'
import type { Authenticate } from '../auth'
import type { Config } from '../config'
import type { Db } from '../db/client'
import type { Logger } from '../logger'
import { ANONYMOUS_ROLES, policy } from '../policy'
import { findUser } from '../users'

export interface TokenRoutesOptions {
  readonly provider: CallTokenProvider
  readonly db: Db
  readonly authenticate: Authenticate
  readonly config: Pick<Config, 'allowAnonymousTokens' | 'rateLimit'>
  readonly logger: Logger
  readonly now?: () => number
}

/**
 * The user token and the call token with a role: POST /tokens/user and /tokens/call (and the library's
 * /tokens/refresh), mounted at /api.
 * The user id comes from the session JWT; only admins may name another user, and only one that exists.
 * With ALLOW_ANONYMOUS_TOKENS=true (never in production) the routes behave as the original API has them: no auth,
 * and its member and moderator roles for anyone (never admin).
 * Every token they mint is recorded in issued_tokens before it is sent.
 */
export function tokenRoutes({ provider, db, authenticate, config, logger, now }: TokenRoutesOptions): Router {
  return createCallTokenRouter({
    provider,
    policy,
    ...(now ? { now } : {}),
    ...(config.allowAnonymousTokens
      ? { allowAnonymous: { roles: ANONYMOUS_ROLES } }
      : {
          authenticate,
          async authorize({ principal, input }) {
            if (!principal || input.userId === principal.userId) return true
            return (await findUser(db, input.userId)) ? true : { allow: false, reason: `user "${input.userId}" does not exist` }
          },
        }),
    rateLimit: { max: config.rateLimit.max, windowMs: config.rateLimit.windowMs },
    logger: logger.child({ component: 'calltoken' }),
    onIssued: recordIssuedTokens(db),
  })
}
