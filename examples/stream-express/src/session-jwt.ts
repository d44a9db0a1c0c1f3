import { SignJWT } from 'jose'

export interface SessionJwtOptions {
  readonly secret: string
  readonly userId: string
  readonly issuer?: string
  readonly audience?: string
  readonly expiresInSeconds?: number
}

/**
 * An HS256 session JWT as the app's own login would issue it (`sub` = user id). The demo's `token` script and
 * the tests use it; a real deployment gets these from its login or identity provider.
 */
export async function signSessionJwt({ secret, userId, issuer, audience, expiresInSeconds = 3600 }: SessionJwtOptions): Promise<string> {
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(userId).setIssuedAt().setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
  if (issuer !== undefined) jwt = jwt.setIssuer(issuer)
  if (audience !== undefined) jwt = jwt.setAudience(audience)
  return jwt.sign(new TextEncoder().encode(secret))
}
