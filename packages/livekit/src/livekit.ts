import { andThen, createHs256Jwt, decodeJwt, defineProvider, type CallTokenProvider, type MaybePromise, type SignedToken, type TokenClaims } from '@calltoken/core/provider'
import { assertIssuer, liveKitPayload, neutralClaims } from './claims'
import { readSettings } from './credentials'
import { LIVEKIT_EXTRAS, liveKitExtrasIssues, type LiveKitExtras } from './extras'
import { asLiveKitRole, liveKitRoleOf, NO_ROOM_GRANT, roomGrant, withGrantExtras, type LiveKitRole } from './grants'
import { identityRule, roomRule } from './rules'
import { liveKitWebhook } from './webhook'

export interface LiveKitOptions {
  /** The API key (LiveKit Cloud's start with "API"); written to every token as `iss`. */
  apiKey: string
  /** The API key's secret (at least 32 characters). Server side only. */
  apiSecret: string
  /** The URL clients connect to, e.g. `wss://my-project.livekit.cloud`; returned in `connect.serverUrl` when set. */
  serverUrl?: string
  /**
   * Policy role → 'admin' | 'moderator' | 'member' | 'viewer'. Roles not listed: by capabilities (end-call or
   * update-call-settings → admin, mute-others or remove-participants → moderator, publish-audio or publish-video →
   * member, otherwise viewer). `member` also sets the grants of user tokens with a callId.
   */
  roleMap?: Readonly<Record<string, LiveKitRole>>
}

/** What livekit-client needs: `room.connect(serverUrl, token)`. Never a secret. */
export interface LiveKitConnect {
  /** The participant identity in the token (the userId). */
  readonly identity: string
  /** The adapter's `serverUrl`, when it was given. */
  readonly serverUrl?: string
}

/** A token for one room. */
export interface LiveKitRoomConnect extends LiveKitConnect {
  /** The room the token joins. */
  readonly roomName: string
}

/** The types of LiveKit tokens: `connect.roomName` on tokens for a room; no call types. */
export interface LiveKitTypes {
  readonly connect: { readonly user: LiveKitConnect; readonly userInCall: LiveKitRoomConnect; readonly call: LiveKitRoomConnect }
  readonly callType: false
  readonly extras: LiveKitExtras
}

export type LiveKitProvider = CallTokenProvider<'livekit', LiveKitTypes>

/**
 * LiveKit access tokens: HS256 JWTs with the claims livekit-server-sdk's AccessToken + addGrant writes (`video`,
 * `iss`, `exp`, `nbf`, `sub`), every grant boolean written out, signed with node:crypto or Web Crypto.
 *
 * A call token joins `callId` with the policy role's grants (admin: roomAdmin and everything below; moderator:
 * publish, subscribe, data and own metadata; member: publish, subscribe and data; viewer: subscribe only). A user
 * token without a callId names the participant and allows nothing: LiveKit joins need the room in the token.
 * LiveKit checks a token's expiry only when the client first connects, not on reconnects.
 *
 * `extras` (LiveKitExtras) sets the participant's `name`, `metadata` and `attributes`, the room's `roomConfig`
 * (agent dispatch) and, in the grant, `canPublishSources` and `hidden`.
 *
 * @throws ERR_CALLTOKEN_INVALID_CONFIG when an option is unknown, the key or secret is missing or a placeholder, the
 * secret is shorter than 32 characters, serverUrl is not a ws(s) or http(s) URL, or a roleMap value is not a LiveKit
 * role. The message never shows a value.
 *
 * @example
 * const provider = livekit({ apiKey: process.env.LIVEKIT_API_KEY!, apiSecret: process.env.LIVEKIT_API_SECRET!, serverUrl: process.env.LIVEKIT_URL })
 * const { token, connect } = await createCallToken({ userId: 'alice', callId: 'standup' }, { provider })
 * // browser: await new Room().connect(connect.serverUrl!, token)
 * await createCallToken({ userId: 'alice', callId: 'support', extras: { name: 'Alice', roomConfig: { agents: [{ agentName: 'support-bot' }] } } }, { provider })
 */
export function livekit(options: LiveKitOptions): LiveKitProvider {
  const { apiKey, apiSecret, serverUrl, roleMap } = readSettings(options)
  const jwt = createHs256Jwt(apiSecret, {})
  const memberRole = roleMap.get('member') ?? 'member'

  const sign = (claims: TokenClaims): MaybePromise<SignedToken<LiveKitConnect | LiveKitRoomConnect>> => {
    const room = claims.callId
    const permissions = room === undefined ? NO_ROOM_GRANT : roomGrant(room, claims.kind === 'call' ? asLiveKitRole(claims.providerRole) : memberRole)
    const grant = withGrantExtras(permissions, claims.extras as LiveKitExtras | undefined)
    const connect: Record<string, string> = { identity: claims.userId }
    if (serverUrl !== undefined) connect.serverUrl = serverUrl
    if (room !== undefined) connect.roomName = room
    return andThen(jwt.sign(liveKitPayload(claims, apiKey, grant)), (token) => ({ token, connect: connect as unknown as LiveKitConnect }))
  }

  return defineProvider<'livekit', LiveKitTypes>({
    id: 'livekit',
    // LiveKit sets no maximum; the policy's range applies.
    limits: { userId: identityRule, callId: roomRule, extras: LIVEKIT_EXTRAS },
    secrets: [apiSecret],
    validateInput: (request) => liveKitExtrasIssues(request.extras),
    mapRole: (role, capabilities) => liveKitRoleOf(roleMap, role, capabilities),
    sign,
    decode: (token) => neutralClaims(decodeJwt(token)),
    verifySignature: (token) =>
      andThen(jwt.verify(token), (parts) => {
        const decoded = neutralClaims(parts)
        assertIssuer(parts, apiKey)
        return decoded
      }),
    webhook: liveKitWebhook(jwt, apiKey),
  })
}
