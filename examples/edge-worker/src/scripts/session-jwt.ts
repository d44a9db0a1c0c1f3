import { SignJWT } from 'jose'

export interface SessionClaims {
  /** The user id (`sub`). */
  readonly userId: string
  /** The `roles` claim: the call roles this user may ask for (`member` when none). */
  readonly roles?: readonly string[]
  readonly expiresInSeconds?: number
  readonly issuer?: string
  readonly audience?: string
}

/**
 * An HS256 session JWT as your login would issue it, signed with SESSION_JWT_SECRET: what the Worker's `bearerJwt`
 * accepts. The `token` script and the tests use it; in production your login or identity provider issues them.
 */
export function signSessionJwt(secret: string, { userId, roles, expiresInSeconds = 3600, issuer, audience }: SessionClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  const jwt = new SignJWT(roles ? { roles: [...roles] } : {}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(userId)
  jwt.setIssuedAt(now).setExpirationTime(now + expiresInSeconds)
  if (issuer !== undefined) jwt.setIssuer(issuer)
  if (audience !== undefined) jwt.setAudience(audience)
  return jwt.sign(new TextEncoder().encode(secret))
}
