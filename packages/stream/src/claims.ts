import { invalidToken, type DecodedToken, type JwtParts, type TokenClaims } from '@calltoken/core/provider'

/** The cid of every call of the token ("<type>:<id>"), in the order given; undefined for a token for no call. */
export function callCidsOf(claims: TokenClaims): string[] | undefined {
  if (claims.callId === undefined) return undefined
  if (claims.kind !== 'call' || claims.callIds === undefined) return [`${claims.callType}:${claims.callId}`]
  return claims.callIds.map((id) => `${claims.callType}:${id}`)
}

/** Exactly the claims Stream reads, in the order its SDK writes them; nothing else. */
export function streamPayload(claims: TokenClaims, callCids: string[] | undefined): Record<string, unknown> {
  return {
    user_id: claims.userId,
    ...(callCids === undefined ? {} : { call_cids: callCids }),
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
  let calls: { type: string; id: string }[] | undefined
  if (call_cids !== undefined) {
    if (!Array.isArray(call_cids) || call_cids.length === 0) throw invalidToken('stream', 'call_cids must hold "<type>:<id>" call cids')
    calls = call_cids.map((cid: unknown) => {
      const colon = typeof cid === 'string' ? cid.indexOf(':') : -1
      if (colon <= 0) throw invalidToken('stream', 'call_cids must hold "<type>:<id>" call cids')
      return { type: (cid as string).slice(0, colon), id: (cid as string).slice(colon + 1) }
    })
  }
  // Neutral claims name one call type: callIds only when every call shares the first one's (as ours do).
  const callIds = calls && calls.length > 1 && calls.every(({ type }) => type === calls[0]!.type) ? calls.map(({ id }) => id) : undefined
  return {
    provider: 'stream',
    userId: user_id,
    ...(calls === undefined ? {} : { callId: calls[0]!.id, callType: calls[0]!.type }),
    ...(callIds === undefined ? {} : { callIds }),
    ...(typeof role === 'string' ? { providerRole: role } : {}),
    issuedAt: iat as number,
    expiresAt: exp as number,
    claims: payload,
  }
}
