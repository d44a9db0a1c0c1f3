import { SignJWT } from 'jose'

export interface SessionJwtOptions {
  secret: string
  issuer?: string
  audience?: string
  /** Default 12 hours. */
  expiresInSeconds?: number
}

/**
 * A session JWT as the app expects one: `sub` = numeric user id, `roles` = e.g. ['member'].
 * In a real deployment your identity service issues these; this is for the demo (`pnpm token`) and tests.
 */
export async function signSessionJwt(userId: number, roles: readonly string[], options: SessionJwtOptions): Promise<string> {
  const jwt = new SignJWT({ roles: [...roles] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(userId))
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (options.expiresInSeconds ?? 12 * 3600))
  if (options.issuer) jwt.setIssuer(options.issuer)
  if (options.audience) jwt.setAudience(options.audience)
  return jwt.sign(new TextEncoder().encode(options.secret))
}
