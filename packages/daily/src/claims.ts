import { invalidToken, type DecodedToken, type JwtParts, type TokenClaims } from '@calltoken/core/provider'
import type { DailyExtras } from './extras'
import type { DailyRole } from './roles'

/**
 * A self-signed meeting token's claims, by Daily's abbreviations: `r` (room_name, always set: without it the token
 * opens every room of the domain), `d` (domain_id), `ud` (user_id), `o` (is_owner, only when true), `iat`, `nbf` and
 * `exp` (always set: without it the token never expires); from the extras `u` (user_name), `ejt`
 * (eject_at_token_exp) and `eje` (eject_after_elapsed).
 */
export function dailyPayload(claims: TokenClaims & { callId: string }, domainId: string, role: DailyRole): Record<string, unknown> {
  const extras = claims.extras as DailyExtras | undefined
  const payload: Record<string, unknown> = { r: claims.callId, d: domainId, ud: claims.userId }
  if (extras?.userName !== undefined) payload.u = extras.userName
  if (role === 'owner') payload.o = true
  payload.iat = claims.issuedAt
  payload.nbf = claims.issuedAt
  payload.exp = claims.expiresAt
  if (extras?.ejectAtExpiry !== undefined) payload.ejt = extras.ejectAtExpiry
  if (extras?.ejectAfterSeconds !== undefined) payload.eje = extras.ejectAfterSeconds
  return payload
}

/** A Daily meeting token read back into neutral claims; anything else is ERR_CALLTOKEN_INVALID_TOKEN. */
export function neutralClaims({ payload }: JwtParts): DecodedToken {
  const { r, ud, o, iat, exp } = payload
  if (typeof r !== 'string' || r === '') throw invalidToken('daily', 'r (the room) is missing: such a token opens every room of the domain')
  if (typeof ud !== 'string' || ud === '') throw invalidToken('daily', 'ud (the user id) is missing')
  if (o !== undefined && typeof o !== 'boolean') throw invalidToken('daily', 'o (is_owner) must be a boolean')
  if (!Number.isInteger(exp)) throw invalidToken('daily', 'exp is missing: such a token never expires')
  if (!Number.isInteger(iat)) throw invalidToken('daily', 'iat must be an integer')
  return {
    provider: 'daily',
    userId: ud,
    callId: r,
    providerRole: o === true ? 'owner' : 'participant',
    issuedAt: iat as number,
    expiresAt: exp as number,
    claims: payload,
  }
}

/** A token signed with our key must also be for our domain. */
export function assertDomain({ payload }: JwtParts, domainId: string): void {
  if (payload.d !== domainId) throw invalidToken('daily', 'd is not this domain id')
}
