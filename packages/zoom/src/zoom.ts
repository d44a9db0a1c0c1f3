import {
  andThen,
  configError,
  createHs256Jwt,
  decodeJwt,
  defineProvider,
  readAdapterOptions,
  readCredential,
  readRoleMap,
  type CallTokenProvider,
  type TokenClaims,
} from '@calltoken/core/provider'
import { assertAppKey, MAX_VALIDITY_SECONDS, MIN_VALIDITY_SECONDS, neutralClaims, zoomPayload } from './claims'
import { ZOOM_EXTRAS, zoomExtrasIssues, type ZoomExtras } from './extras'
import { asZoomRole, ZOOM_ROLES, zoomRoleOf, type ZoomRole } from './roles'
import { sessionNameRule, userKeyRule } from './rules'
import { zoomWebhook } from './webhook'

export interface ZoomOptions {
  /** The Video SDK app's SDK key (App Credentials in the Zoom App Marketplace); written to every token as `app_key`. */
  sdkKey: string
  /** The Video SDK app's SDK secret. Server side only. Not a Meeting SDK or OAuth credential. */
  sdkSecret: string
  /**
   * Policy role → 'host' | 'participant'. Roles not listed: 'host' (role_type 1) when they may end the call, else
   * 'participant' (0), so a moderator is a participant. `member` also sets the role of user tokens.
   */
  roleMap?: Readonly<Record<string, ZoomRole>>
}

/** What the Video SDK's `client.join(sessionName, token, userName)` needs besides a display name. Never a secret. */
export interface ZoomConnect {
  /** The session name (`tpc`), exactly as the token has it; join with this name. */
  readonly sessionName: string
  /** The user key in the token (the userId). */
  readonly userKey: string
}

/** The types of Zoom tokens: every token is for one session; no call types. */
export interface ZoomTypes {
  readonly connect: { readonly user: ZoomConnect; readonly userInCall: ZoomConnect; readonly call: ZoomConnect }
  readonly callType: false
  readonly extras: ZoomExtras
}

export type ZoomProvider = CallTokenProvider<'zoom', ZoomTypes>

const OPTIONS = { provider: 'zoom', known: ['sdkKey', 'sdkSecret', 'roleMap'], required: ['sdkKey', 'sdkSecret'] } as const
const SOURCE = 'your Video SDK app (App Credentials in the Zoom App Marketplace)'
/**
 * Zoom documents no length for SDK secrets and issues 36-character ones; a value under 16 characters is cut off or
 * made up, so it is refused here rather than by Zoom at the first join.
 */
const MIN_SECRET_LENGTH = 16

/**
 * Zoom Video SDK JWTs (not the Meeting SDK's): HS256 with `app_key`, `role_type`, `tpc`, `version`, `iat`, `exp` and
 * `user_key`, as Zoom's official auth-endpoint sample builds them.
 *
 * Every token is for one session: `callId` is the session name (`tpc`), at most 200 characters, which the client
 * must join with (Zoom compares it case-insensitively). A user token needs a callId too. Only roles that may end
 * the call are hosts (`role_type` 1). Zoom accepts 30 min to 48 h of validity, intersected with the policy's range:
 * by default 1800..86 400 s. `extras` (ZoomExtras) sets `session_key`, `geo_regions` and the cloud-recording fields.
 *
 * @throws ERR_CALLTOKEN_INVALID_CONFIG when an option is unknown, the key or secret is missing, a placeholder or the
 * same value, the secret is shorter than 16 characters, or a roleMap value is not 'host' or 'participant'. The message never shows a value.
 *
 * @example
 * const provider = zoom({ sdkKey: process.env.ZOOM_VIDEO_SDK_KEY!, sdkSecret: process.env.ZOOM_VIDEO_SDK_SECRET! })
 * const { token, connect } = await createCallToken({ userId: 'alice', callId: 'standup' }, { provider })
 * // browser: await client.join(connect.sessionName, token, 'Alice')
 */
export function zoom(options: ZoomOptions): ZoomProvider {
  const record = readAdapterOptions(options, OPTIONS)
  const sdkKey = readCredential(record.sdkKey, { provider: 'zoom', name: 'sdkKey', envName: 'ZOOM_VIDEO_SDK_KEY', source: SOURCE })
  if (typeof record.sdkSecret === 'string' && record.sdkSecret.trim() === sdkKey) {
    throw configError('zoom: sdkKey and sdkSecret are the same value; one of them is wrong')
  }
  const sdkSecret = readCredential(record.sdkSecret, {
    provider: 'zoom',
    name: 'sdkSecret',
    envName: 'ZOOM_VIDEO_SDK_SECRET',
    source: SOURCE,
    minLength: MIN_SECRET_LENGTH,
  })
  const roleMap = readRoleMap('zoom', record.roleMap, ZOOM_ROLES)
  const memberRole = roleMap.get('member') ?? 'participant'
  const jwt = createHs256Jwt(sdkSecret, { typ: 'JWT' })

  const sign = (claims: TokenClaims) => {
    // Core refuses a user token without a call (userTokenNeedsCall), so there is always one here.
    const session = { ...claims, callId: claims.callId! }
    const role = claims.kind === 'call' ? asZoomRole(claims.providerRole) : memberRole
    const connect: ZoomConnect = { sessionName: session.callId, userKey: claims.userId }
    return andThen(jwt.sign(zoomPayload(session, sdkKey, role)), (token) => ({ token, connect }))
  }

  return defineProvider<'zoom', ZoomTypes>({
    id: 'zoom',
    limits: {
      minValiditySeconds: MIN_VALIDITY_SECONDS,
      maxValiditySeconds: MAX_VALIDITY_SECONDS,
      userId: userKeyRule,
      callId: sessionNameRule,
      userTokenNeedsCall: true,
      extras: ZOOM_EXTRAS,
    },
    secrets: [sdkSecret],
    validateInput: (request) => zoomExtrasIssues(request.extras),
    mapRole: (role, capabilities) => zoomRoleOf(roleMap, role, capabilities),
    sign,
    decode: (token) => neutralClaims(decodeJwt(token)),
    verifySignature: (token) =>
      andThen(jwt.verify(token), (parts) => {
        const decoded = neutralClaims(parts)
        assertAppKey(parts, sdkKey)
        return decoded
      }),
    webhook: zoomWebhook,
  })
}
