import { invalidToken, type DecodedToken, type JwtParts, type TokenClaims } from '@calltoken/core/provider'

/** Exactly the claims Stream reads, in the order its SDK writes them; nothing else. */
export function streamPayload(claims: TokenClaims): Record<string, unknown> {
  return {
    user_id: claims.userId,
    ...(claims.callId === undefined ? {} : { call_cids: [`${claims.callType}:${claims.callId}`] }),
    ...(claims.providerRole === undefined ? {} : { role: claims.providerRole }),
    iat: claims.issuedAt,
    exp: claims.expiresAt,
  }
}

/** Stream claims back into neutral ones. */
export function neutralClaims({ payload }: JwtParts): DecodedToken {
  const { user_id, call_cids, role, iat, exp } = payload
  if (typeof user_id !== 'string') throw invalidToken('stream', 'user_id is missing')
  if (!Number.isInteger(iat) || !Number.isInteger(exp)) throw invalidToken('stream', 'iat and exp must be integers')
  let callType: string | undefined
  let callId: string | undefined
  if (call_cids !== undefined) {
    const cid = Array.isArray(call_cids) && call_cids.length === 1 ? call_cids[0] : undefined
    const colon = typeof cid === 'string' ? cid.indexOf(':') : -1
    if (colon <= 0) throw invalidToken('stream', 'call_cids must hold one "<type>:<id>"')
    callType = (cid as string).slice(0, colon)
    callId = (cid as string).slice(colon + 1)
  }
  return {
    provider: 'stream',
    userId: user_id,
    ...(callId === undefined ? {} : { callId, callType }),
    ...(typeof role === 'string' ? { providerRole: role } : {}),
    issuedAt: iat as number,
    expiresAt: exp as number,
    claims: payload,
  }
}
