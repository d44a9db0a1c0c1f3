import { bearerJwt, isCallTokenError } from '@calltoken/fastify'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from './config.ts'
import { forbidden, unauthenticated } from './errors.ts'
import type { PublicIdOf } from './public-id.ts'

/** The roles that may use calling (the original API's "pre-member or full-member status"); admin implies member. */
export const CALLING_ROLES = ['pre-member', 'member', 'admin'] as const

export interface CallingUser {
  /** The internal user id, which is also the user's Agora uid. Never logged. */
  readonly id: number
  /** The masked id ("OTO#…") that logs and analytics use. */
  readonly publicId: string
  readonly roles: readonly string[]
  readonly isAdmin: boolean
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated user on /api/calling/* routes (named `caller`, not `user`, to stay clear of auth plugins). */
    caller: CallingUser
  }
}

const MAX_UID = 4_294_967_295

/** The JWT subject as an Agora uid: 1..4294967295 in plain digits, or undefined. */
export function parseUserId(subject: string): number | undefined {
  if (!/^[1-9][0-9]{0,9}$/.test(subject)) return undefined
  const id = Number(subject)
  return id <= MAX_UID ? id : undefined
}

/**
 * An onRequest hook: verifies `Authorization: Bearer <JWT>` with calltoken's bearerJwt, requires a calling
 * role, sets `request.caller`, and tags every later log line of the request with the masked id.
 */
export function authenticateHook(jwt: Config['jwt'], publicIdOf: PublicIdOf) {
  const verify = bearerJwt({ secret: jwt.secret, ...(jwt.issuer ? { issuer: jwt.issuer } : {}), ...(jwt.audience ? { audience: jwt.audience } : {}) })
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = await verify(request).catch((error: unknown) => {
      // A presented token that was refused: the reason (expired, wrongly signed…) is the client's to see.
      throw isCallTokenError(error) && error.code === 'ERR_CALLTOKEN_UNAUTHENTICATED' ? unauthenticated(error.message) : error
    })
    if (principal === null) throw unauthenticated()
    const id = parseUserId(principal.userId)
    if (id === undefined) throw unauthenticated('The token subject must be a numeric user id (1-4294967295)')
    const roles = principal.roles ?? []
    if (!roles.some((role) => (CALLING_ROLES as readonly string[]).includes(role))) {
      throw forbidden('Calling requires pre-member or member status')
    }
    request.caller = { id, publicId: publicIdOf(id), roles, isAdmin: roles.includes('admin') }
    // reply.log is used for "request completed"; both must carry the masked id, never the internal one.
    request.log = reply.log = request.log.child({ user: request.caller.publicId })
  }
}

/** An onRequest hook for the admin routes, after authenticateHook. */
export async function requireAdmin(request: FastifyRequest) {
  if (!request.caller.isAdmin) throw forbidden('Admin role required')
}
