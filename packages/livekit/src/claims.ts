import { invalidToken, type DecodedToken, type JwtParts, type TokenClaims } from '@calltoken/core/provider'
import type { LiveKitExtras } from './extras'
import { roleOfGrant, type LiveKitVideoGrant } from './grants'

/**
 * The claims livekit-server-sdk's AccessToken (with `metadata`, `attributes` and `name` as constructor options) +
 * addGrant + `roomConfig` + toJwt write, in its order: `metadata`, `attributes`, `name`, `video`, `roomConfig`, then
 * `iss`, `exp`, `nbf` and `sub`. `nbf` is core's issue time (backdated by the policy's skew, where the SDK uses
 * "now"); there is no `iat`, as in LiveKit's own tokens.
 */
export function liveKitPayload(claims: TokenClaims, apiKey: string, video: LiveKitVideoGrant): Record<string, unknown> {
  const extras = claims.extras as LiveKitExtras | undefined
  const payload: Record<string, unknown> = {}
  if (extras?.metadata !== undefined) payload.metadata = extras.metadata
  if (extras?.attributes !== undefined) payload.attributes = extras.attributes
  if (extras?.name !== undefined) payload.name = extras.name
  payload.video = video
  if (extras?.roomConfig !== undefined) payload.roomConfig = extras.roomConfig
  payload.iss = apiKey
  payload.exp = claims.expiresAt
  payload.nbf = claims.issuedAt
  payload.sub = claims.userId
  return payload
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** A LiveKit access token read back into neutral claims; anything else is ERR_CALLTOKEN_INVALID_TOKEN. */
export function neutralClaims({ payload }: JwtParts): DecodedToken {
  const { sub, video, exp, nbf } = payload
  if (typeof sub !== 'string' || sub === '') throw invalidToken('livekit', 'sub (the participant identity) is missing')
  if (!isRecord(video)) throw invalidToken('livekit', 'it has no video grant')
  if (!Number.isInteger(nbf) || !Number.isInteger(exp)) throw invalidToken('livekit', 'nbf and exp must be integers')
  const room = video.roomJoin === true ? video.room : undefined
  if (room !== undefined && (typeof room !== 'string' || room === '')) throw invalidToken('livekit', 'video.room must be a room name')
  return {
    provider: 'livekit',
    userId: sub,
    ...(room === undefined ? {} : { callId: room, providerRole: roleOfGrant(video) }),
    issuedAt: nbf as number,
    expiresAt: exp as number,
    claims: payload,
  }
}

/** A token signed with our secret must also name our key, as LiveKit's TokenVerifier checks. */
export function assertIssuer({ payload }: JwtParts, apiKey: string): void {
  if (payload.iss !== apiKey) throw invalidToken('livekit', 'iss is not this API key')
}
