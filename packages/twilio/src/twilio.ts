import { andThen, createHs256Jwt, decodeJwt, defineProvider, type CallTokenProvider, type MaybePromise, type SignedToken, type TokenClaims } from '@calltoken/core/provider'
import { assertIssuer, MAX_LIFETIME_SECONDS, neutralClaims, twilioHeader, twilioPayload } from './claims'
import { readCredentials } from './credentials'
import { identityRule, roomRule } from './rules'
import { twilioWebhook } from './webhook'

export interface TwilioOptions {
  /** The Account SID: "AC" + 32 hex digits. The API key must belong to this account (or Twilio answers 20103). */
  accountSid: string
  /** The API key SID: "SK" + 32 hex digits. A standard or main key; restricted keys cannot sign access tokens (20160). */
  apiKeySid: string
  /**
   * The API key's **secret**, shown once when the key was created. Not the account Auth Token: a token signed with the
   * Auth Token is rejected by Twilio as "Invalid Access Token" (20101). Server side only.
   */
  apiKeySecret: string
  /**
   * The Twilio region id of the API key, lower case (`us1`, `ie1`, `au1`…), written to the token header as `twr`.
   * Leave it out for US1. Twilio requires Video API keys to be in US1, so set this only if Twilio told you to.
   */
  region?: string
}

/** What twilio-video needs besides a token that allows any room: `connect(token, { name })`. Never a secret. */
export interface TwilioConnect {
  /** The participant identity in the token (the userId). */
  readonly identity: string
}

/** A token for one room: `connect(token, { name: roomName })`. */
export interface TwilioRoomConnect extends TwilioConnect {
  /** The room the token is for. */
  readonly roomName: string
}

/** The types of Twilio tokens: `connect.roomName` on tokens for a room; no call types. */
export interface TwilioTypes {
  readonly connect: { readonly user: TwilioConnect; readonly userInCall: TwilioRoomConnect; readonly call: TwilioRoomConnect }
  readonly callType: false
}

export type TwilioProvider = CallTokenProvider<'twilio', TwilioTypes>

/**
 * Twilio Programmable Video access tokens (HS256 JWTs byte-identical to twilio-node's AccessToken + VideoGrant),
 * minted without the twilio package.
 *
 * Twilio tokens carry **no role**: the policy role is returned as `issued.role` and your app must enforce it.
 * Switching to another adapter (`stream()`, `agora()`) changes one line of server code.
 *
 * @throws ERR_CALLTOKEN_INVALID_CONFIG when an option is unknown (e.g. a misspelt `apiKeySecrett`), a SID is missing or
 * malformed, or the secret is missing, a placeholder or shorter than 32 characters (the message never shows a value).
 *
 * @example
 * const provider = twilio({
 *   accountSid: process.env.TWILIO_ACCOUNT_SID!,
 *   apiKeySid: process.env.TWILIO_API_KEY_SID!,
 *   apiKeySecret: process.env.TWILIO_API_KEY_SECRET!,
 * })
 * const { token, connect } = await createCallToken({ userId: 'alice', callId: 'apt-47' }, { provider })
 * // browser: await Video.connect(token, { name: connect.roomName })
 */
export function twilio(options: TwilioOptions): TwilioProvider {
  const { accountSid, apiKeySid, apiKeySecret, region } = readCredentials(options)
  const issuer = { accountSid, apiKeySid }
  const jwt = createHs256Jwt(apiKeySecret, twilioHeader(region))

  const sign = (claims: TokenClaims): MaybePromise<SignedToken<TwilioConnect | TwilioRoomConnect>> => {
    const connect: TwilioConnect | TwilioRoomConnect = claims.callId === undefined ? { identity: claims.userId } : { identity: claims.userId, roomName: claims.callId }
    return andThen(jwt.sign(twilioPayload(claims, issuer)), (token) => ({ token, connect }))
  }

  return defineProvider<'twilio', TwilioTypes>({
    id: 'twilio',
    // Twilio rejects a token valid for more than 24 h (20104/20157); it has no call types (core then rejects callType).
    limits: { minValiditySeconds: 1, maxValiditySeconds: MAX_LIFETIME_SECONDS, userId: identityRule, callId: roomRule },
    secrets: [apiKeySecret],
    // Twilio has no roles: the policy role is kept as is, so every policy role is allowed and returned to the app.
    mapRole: (role) => role,
    sign,
    decode: (token) => neutralClaims(decodeJwt(token)),
    verifySignature: (token) =>
      andThen(jwt.verify(token), (parts) => {
        const decoded = neutralClaims(parts)
        assertIssuer(parts, issuer)
        return decoded
      }),
    webhook: twilioWebhook,
  })
}
