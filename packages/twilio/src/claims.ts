import { invalidToken, type DecodedToken, type JwtParts, type TokenClaims } from '@calltoken/core/provider'

/** Twilio's "first-party access token" content type; without it Twilio answers 20101. */
export const TWILIO_CTY = 'twilio-fpa;v=1'

/** The header twilio-node writes (after `alg`, which the signer adds first), with `twr` only when a region is set. */
export function twilioHeader(region: string | undefined): Record<string, string> {
  return region === undefined ? { typ: 'JWT', cty: TWILIO_CTY } : { typ: 'JWT', cty: TWILIO_CTY, twr: region }
}

/**
 * Twilio rejects a token whose lifetime (exp − iat) exceeds 24 h (errors 20104, 20157); core keeps the
 * skew-backdated iat within it.
 */
export const MAX_LIFETIME_SECONDS = 86_400

export interface TwilioIssuer {
  readonly accountSid: string
  readonly apiKeySid: string
}

/**
 * Exactly the claims twilio-node's AccessToken + VideoGrant write, in its order. `jti` is built as twilio-node builds
 * it (`<apiKeySid>-<iat>`). A token without a room has `video: {}`, which Twilio reads as "any room".
 */
export function twilioPayload(claims: TokenClaims, { accountSid, apiKeySid }: TwilioIssuer): Record<string, unknown> {
  const iat = claims.issuedAt
  return {
    jti: `${apiKeySid}-${iat}`,
    grants: {
      identity: claims.userId,
      video: claims.callId === undefined ? {} : { room: claims.callId },
    },
    iat,
    exp: claims.expiresAt,
    iss: apiKeySid,
    sub: accountSid,
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** A Twilio Video access token read back into neutral claims; anything else is ERR_CALLTOKEN_INVALID_TOKEN. */
export function neutralClaims({ header, payload }: JwtParts): DecodedToken {
  if (header.cty !== TWILIO_CTY) throw invalidToken('twilio', `the header's cty must be "${TWILIO_CTY}"`)
  if (header.typ !== 'JWT') throw invalidToken('twilio', `the header's typ must be "JWT"`)
  const { grants, iat, exp } = payload
  if (!isRecord(grants)) throw invalidToken('twilio', 'grants is missing')
  const { identity, video } = grants
  if (typeof identity !== 'string' || identity === '') throw invalidToken('twilio', 'grants.identity is missing')
  if (!isRecord(video)) throw invalidToken('twilio', 'it has no video grant')
  const room = video.room
  if (room !== undefined && (typeof room !== 'string' || room === '')) throw invalidToken('twilio', 'grants.video.room must be a room name')
  if (!Number.isInteger(iat) || !Number.isInteger(exp)) throw invalidToken('twilio', 'iat and exp must be integers')
  return {
    provider: 'twilio',
    userId: identity,
    ...(room === undefined ? {} : { callId: room }),
    issuedAt: iat as number,
    expiresAt: exp as number,
    claims: payload,
  }
}

/** A token signed with our secret must also name our key and account, as Twilio checks (20103). */
export function assertIssuer({ payload }: JwtParts, { accountSid, apiKeySid }: TwilioIssuer): void {
  if (payload.iss !== apiKeySid) throw invalidToken('twilio', 'iss is not this API key SID')
  if (payload.sub !== accountSid) throw invalidToken('twilio', 'sub is not this Account SID')
}
