import { invalidToken, type DecodedToken, type JwtParts, type TokenClaims } from '@calltoken/core/provider'
import { zoomExtrasClaims, type ZoomExtras } from './extras'
import { ROLE_TYPE, type ZoomRole } from './roles'

/**
 * Zoom accepts 1800 s ≤ exp − iat ≤ 48 h. Core backdates iat by the policy's skew (5 s by default), so a request for
 * exactly 1800 s gives 1805 s: Zoom has been seen refusing exactly 1800.
 */
export const MIN_VALIDITY_SECONDS = 1800
export const MAX_VALIDITY_SECONDS = 172_800

/**
 * The Video SDK JWT's claims in the order of Zoom's official auth-endpoint sample, with `user_key` (the current
 * docs' name) where the sample still writes the older `user_identity`, then the extras' `session_key`,
 * `geo_regions`, `cloud_recording_option` and `cloud_recording_election`.
 */
export function zoomPayload(claims: TokenClaims & { callId: string }, sdkKey: string, role: ZoomRole): Record<string, unknown> {
  return {
    app_key: sdkKey,
    role_type: ROLE_TYPE[role],
    tpc: claims.callId,
    version: 1,
    iat: claims.issuedAt,
    exp: claims.expiresAt,
    user_key: claims.userId,
    ...zoomExtrasClaims(claims.extras as ZoomExtras | undefined),
  }
}

/** A Video SDK JWT read back into neutral claims; anything else is ERR_CALLTOKEN_INVALID_TOKEN. */
export function neutralClaims({ payload }: JwtParts): DecodedToken {
  const { tpc, role_type: roleType, version, iat, exp } = payload
  // Tokens from Zoom's sample carry the older name.
  const userKey = payload.user_key ?? payload.user_identity
  if (typeof tpc !== 'string' || tpc === '') throw invalidToken('zoom', 'tpc (the session name) is missing')
  if (roleType !== 0 && roleType !== 1) throw invalidToken('zoom', 'role_type must be the number 0 or 1')
  if (version !== 1) throw invalidToken('zoom', 'version must be 1')
  if (typeof userKey !== 'string' || userKey === '') throw invalidToken('zoom', 'user_key (the user) is missing')
  if (!Number.isInteger(iat) || !Number.isInteger(exp)) throw invalidToken('zoom', 'iat and exp must be integers')
  return {
    provider: 'zoom',
    userId: userKey,
    callId: tpc,
    providerRole: roleType === 1 ? 'host' : 'participant',
    issuedAt: iat as number,
    expiresAt: exp as number,
    claims: payload,
  }
}

/** A token signed with our secret must also name our SDK key. */
export function assertAppKey({ payload }: JwtParts, sdkKey: string): void {
  if (payload.app_key !== sdkKey) throw invalidToken('zoom', 'app_key is not this Video SDK key')
}
