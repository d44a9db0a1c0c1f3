import { createHs256Jwt, decodeJwt, defineProvider, invalidToken, type DecodedToken, type JwtParts, type ProviderLimits } from '../src/provider/index'

export const EXAMPLE_SECRET = 'example-provider-secret-5b1e'

/** A minimal JWT provider built only on core's public API, with configurable limits (e.g. Zoom's 1800 s minimum). */
export function exampleProvider(limits: Partial<ProviderLimits> = {}, secret = EXAMPLE_SECRET) {
  const jwt = createHs256Jwt(secret, { typ: 'JWT' })
  const neutral = ({ payload }: JwtParts): DecodedToken => {
    if (typeof payload.sub !== 'string') throw invalidToken('example', 'sub is missing')
    return {
      provider: 'example',
      userId: payload.sub,
      ...(typeof payload.room === 'string' ? { callId: payload.room } : {}),
      ...(typeof payload.role === 'string' ? { providerRole: payload.role } : {}),
      issuedAt: payload.iat as number,
      expiresAt: payload.exp as number,
      claims: payload,
    }
  }
  const sign = async (claims: { userId: string; callId?: string; providerRole?: string; issuedAt: number; expiresAt: number }) => ({
    token: await jwt.sign({ sub: claims.userId, room: claims.callId, role: claims.providerRole, iat: claims.issuedAt, exp: claims.expiresAt }),
    connect: { room: claims.callId },
  })
  return defineProvider({
    id: 'example',
    limits: { userId: { pattern: /^[a-z0-9_]+$/, allowed: 'a-z, 0-9 and _', maxLength: 32 }, callId: { maxBytes: 16 }, ...limits },
    secrets: [secret],
    mapRole: (role) => `x-${role}`,
    sign,
    decode: (token) => neutral(decodeJwt(token)),
    verifySignature: async (token) => neutral(await jwt.verify(token)),
  })
}
