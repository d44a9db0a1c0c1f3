import { bearerJwt } from '@calltoken/express'
import type { RequestHandler, Response } from 'express'
import { findUser } from './appointments/repository'
import type { Db } from './db/client'
import type { User } from './db/schema'

const MAX_INT4 = 2_147_483_647

/**
 * `Authorization: Bearer <session JWT>` (HS256, `sub` = user id) → the user row in res.locals.user, or 401.
 * The user is read from the database on every request, so a deleted user's still-valid JWT stops working.
 */
export function requireUser(db: Db, sessionJwtSecret: string): RequestHandler {
  const verify = bearerJwt({ secret: sessionJwtSecret })
  return async (req, res, next) => {
    const principal = await verify(req)
    const id = principal && /^[1-9]\d{0,9}$/.test(principal.userId) ? Number(principal.userId) : undefined
    const user = id !== undefined && id <= MAX_INT4 ? await findUser(db, id) : undefined
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
