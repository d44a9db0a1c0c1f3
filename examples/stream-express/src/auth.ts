import { bearerJwt, type Principal, type RequestWithHeaders } from '@calltoken/express'
import type { Config } from './config'
import type { Db } from './db/client'
import { callRolesOf } from './policy'
import { findUser } from './users'

export type Authenticate = (req: RequestWithHeaders) => Promise<Principal | null>

/**
 * `Authorization: Bearer <session JWT>` → the user it names, if that user still exists. Roles come from the
 * database, not from the JWT, so removing a user or demoting an admin takes effect on the next request.
 */
export function createAuthenticate(session: Config['session'], db: Db): Authenticate {
  const verify = bearerJwt({ secret: session.jwtSecret, issuer: session.issuer, audience: session.audience })
  const authenticate: Authenticate = async (req) => {
    const claims = await verify(req)
    if (!claims) return null
    const user = await findUser(db, claims.userId).catch((error: unknown) => {
      throw new Error('authentication failed: the users table could not be read', { cause: error })
    })
    return user ? { userId: user.id, roles: callRolesOf(user.role) } : null
  }
  // Keeps bearerJwt's challenge, so every 401 says `WWW-Authenticate: Bearer` (RFC 6750).
  return Object.assign(authenticate, { challenge: verify.challenge })
}
