import { bearerJwt, isCallTokenError } from '@calltoken/express'
import type { Request, RequestHandler, Response } from 'express'
import { findUser } from './appointments/repository'
import type { Db } from './db/client'
import type { User } from './db/schema'

const MAX_INT4 = 2_147_483_647

/** The user of a request, or undefined when it has no valid session. */
export type SessionUser = (req: Request) => Promise<User | undefined>

/**
 * `Authorization: Bearer <session JWT>` (HS256, `sub` = user id) → the user row.
 * The user is read from the database on every request, so a deleted user's still-valid JWT stops working.
 */
export function sessionUser(db: Db, sessionJwtSecret: string): SessionUser {
  const verify = bearerJwt({ secret: sessionJwtSecret })
  return async (req) => {
    // A refused token (expired, wrongly signed…) is no session, like a missing one: the original API answers both alike.
    const principal = await verify(req).catch((error: unknown) => {
      if (isCallTokenError(error) && error.code === 'ERR_CALLTOKEN_UNAUTHENTICATED') return null
      throw error
    })
    const id = principal && /^[1-9]\d{0,9}$/.test(principal.userId) ? Number(principal.userId) : undefined
    return id !== undefined && id <= MAX_INT4 ? await findUser(db, id) : undefined
  }
}

/** The session's user in res.locals.user, or 401. */
export function requireUser(userOf: SessionUser): RequestHandler {
  return async (req, res, next) => {
    const user = await userOf(req)
    if (!user) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'Authentication required' })
      return
    }
    res.locals.user = user
    next()
  }
}

/** The user requireUser found; only call it in routes behind requireUser. */
export function currentUser(res: Response): User {
  return res.locals.user as User
}
