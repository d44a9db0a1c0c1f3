import { SignJWT } from 'jose'

/**
 * A session JWT as the app's login would issue it: HS256, `sub` = the user id. The app has no login of its own
 * (users come from your identity system); this signs demo tokens for the README and the tests.
 */
export async function signSessionToken(secret: string, userId: number | string, { nowMs = Date.now(), validitySeconds = 3600 } = {}): Promise<string> {
  const iat = Math.floor(nowMs / 1000)
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(userId))
    .setIssuedAt(iat)
    .setExpirationTime(iat + validitySeconds)
    .sign(new TextEncoder().encode(secret))
}
