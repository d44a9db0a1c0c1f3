import { andThen, configError, defineProvider, invalidToken, readAdapterOptions, readRoleMap, type CallTokenProvider } from '@calltoken/core/provider'
import { readHexCredential } from './credentials'
import type { AgoraTypes, UserIdAs } from './identity'
import { mintRtcToken, mintRtmToken, type MintSettings } from './mint'
import { neutralClaims } from './neutral-claims'
import { parseAccessToken2 } from './parse-access-token2'
import { AGORA_ROLES, type AgoraRole } from './privileges'
import { agoraRoleOf, type AgoraRoleMap } from './roles'
import { accountRule, channelRule, rtmUserIdIssues, uidRule } from './rules'
import { signatureMatches } from './signing'
import { agoraWebhook } from './webhook'

export interface AgoraOptions<As extends UserIdAs = UserIdAs> {
  /** The project's App ID (32 hex characters; public, the client needs it too). */
  appId: string
  /** The project's primary App Certificate (32 hex characters). Server side only. */
  appCertificate: string
  /**
   * How userId becomes the RTC user: 'account' (default) mints for that string account;
   * 'uid' requires an integer string 1..4294967295 and mints for that numeric uid.
   * All users of one channel must use the same kind.
   */
  userIdAs?: As
  /** With userIdAs 'uid': let userId "0" mint a wildcard token any uid can join with. Default false. */
  allowAnyUid?: boolean
  /**
   * Policy role → 'publisher' | 'subscriber'. Roles not listed: 'publisher' when they may publish
   * audio or video, else 'subscriber'. `member` also sets the privileges of user tokens with a callId.
   */
  roleMap?: AgoraRoleMap
  /**
   * Tokens for a call also log the same user in to RTM (Signaling), as agora-token's `buildTokenWithRtm` builds them:
   * one token for `client.join` and `rtmClient.login`. RTM user ids are stricter than RTC accounts (at most 63 bytes,
   * not starting with a space, not "null"), so those rules then apply to every userId. Default false.
   */
  rtm?: boolean
  /**
   * How long the RTC privileges (join, publish audio, video and data) last, in seconds after the token's issue time,
   * when that should be shorter than the token (agora-token's `privilegeExpire`): a client can hold a token but lose
   * the right to publish after this. 1..86 400; never longer than the token. Default: the token's own lifetime.
   */
  privilegeSeconds?: number
}

export type AgoraProvider<As extends UserIdAs = UserIdAs> = CallTokenProvider<'agora', AgoraTypes<As>>

const OPTIONS = {
  provider: 'agora',
  known: ['appId', 'appCertificate', 'userIdAs', 'allowAnyUid', 'roleMap', 'rtm', 'privilegeSeconds'],
  required: ['appId', 'appCertificate'],
} as const

// agora-token's range for the salt: 1..99999999, uniform (a draw in the top, partial range is drawn again). Draws
// come from a pool refilled 256 at a time: one getRandomValues per token costs about as much as one of its HMACs.
const SALT_RANGE = 99_999_999
const UNBIASED_LIMIT = Math.floor(0x1_0000_0000 / SALT_RANGE) * SALT_RANGE
const draws = new Uint32Array(256)
let nextDraw = draws.length
function randomSalt(): number {
  for (;;) {
    if (nextDraw === draws.length) {
      crypto.getRandomValues(draws)
      nextDraw = 0
    }
    const draw = draws[nextDraw++]!
    if (draw < UNBIASED_LIMIT) return 1 + (draw % SALT_RANGE)
  }
}

/**
 * An Agora provider: AccessToken2 ("007") RTC tokens for calls, RTM login tokens for users.
 *
 * @throws ERR_CALLTOKEN_INVALID_CONFIG when an option is unknown, appId or appCertificate is not 32 hex characters (or they are the same), userIdAs, allowAnyUid, roleMap, rtm or privilegeSeconds is invalid, or rtm is combined with allowAnyUid; the message never shows a value.
 * @example
 * const provider = agora({ appId: process.env.AGORA_APP_ID!, appCertificate: process.env.AGORA_APP_CERTIFICATE! })
 * const { token, connect } = await createCallToken({ userId: 'alice', callId: 'standup' }, { provider })
 * // browser: await client.join(connect.appId, connect.channelName, token, connect.account)
 */
export function agora<As extends UserIdAs = 'account'>(options: AgoraOptions<As>): AgoraProvider<As> {
  return createAgora(options, randomSalt)
}

/** `agora` with the salt source injected so tests can pin it. Internal: not exported from the package. */
export function createAgora<As extends UserIdAs = 'account'>(options: AgoraOptions<As>, salt: () => number): AgoraProvider<As> {
  readAdapterOptions(options, OPTIONS)
  const appId = readHexCredential(options.appId, 'appId', 'AGORA_APP_ID')
  const appCertificate = readHexCredential(options.appCertificate, 'appCertificate', 'AGORA_APP_CERTIFICATE')
  if (appId.toLowerCase() === appCertificate.toLowerCase()) {
    throw configError('agora: appId and appCertificate are the same value; one of them is wrong')
  }
  const userIdAs: UserIdAs = options.userIdAs ?? 'account'
  if (userIdAs !== 'account' && userIdAs !== 'uid') throw configError("agora: userIdAs must be 'account' or 'uid'")
  if (options.allowAnyUid !== undefined && typeof options.allowAnyUid !== 'boolean') throw configError('agora: allowAnyUid must be a boolean')
  const allowAnyUid = options.allowAnyUid ?? false
  if (allowAnyUid && userIdAs !== 'uid') throw configError("agora: allowAnyUid only applies with userIdAs: 'uid'")
  const roleMap = readRoleMap('agora', options.roleMap, AGORA_ROLES)
  const memberRole: AgoraRole = roleMap.get('member') ?? 'publisher'
  if (options.rtm !== undefined && typeof options.rtm !== 'boolean') throw configError('agora: rtm must be a boolean')
  const rtm = options.rtm ?? false
  if (rtm && allowAnyUid) throw configError('agora: rtm cannot be combined with allowAnyUid: the any-uid wildcard cannot log in to RTM')
  const privilegeSeconds = options.privilegeSeconds
  if (privilegeSeconds !== undefined && !(Number.isInteger(privilegeSeconds) && privilegeSeconds >= 1 && privilegeSeconds <= 86_400)) {
    throw configError('agora: privilegeSeconds must be a whole number of seconds from 1 to 86400')
  }

  const settings: MintSettings = { appId, appCertificate, userIdAs, salt, rtm, privilegeSeconds }
  const verifySignature = (token: string) => {
    const { content, signature, signingInfo } = parseAccessToken2(token)
    if (content.appId !== appId) throw invalidToken('agora', 'it was issued for another App ID')
    return andThen(signatureMatches(signature, appCertificate, content.issueTs, content.salt, signingInfo), (matches) => {
      if (!matches) throw invalidToken('agora', 'the signature does not match this appCertificate')
      return neutralClaims(content)
    })
  }

  return defineProvider<'agora', AgoraTypes>({
    id: 'agora',
    limits: {
      maxValiditySeconds: 86_400,
      userId: userIdAs === 'uid' ? uidRule(allowAnyUid) : accountRule,
      callId: channelRule,
      // No callType: Agora has none, so core rejects one.
    },
    secrets: [appCertificate],
    // Without a callId a user token is an RTM login (with rtm: true, every token is), whose ids are stricter than RTC accounts.
    validateInput: (input) => (rtm || input.callId === undefined ? rtmUserIdIssues(input.userId, userIdAs) : []),
    mapRole: (role, capabilities) => agoraRoleOf(roleMap, role, capabilities),
    // A call token: the role's privileges. A user token: RTC with member's privileges for a call, else an RTM login.
    sign: (claims) =>
      claims.kind === 'call'
        ? mintRtcToken(settings, claims, asAgoraRole(claims.providerRole))
        : claims.callId === undefined
          ? mintRtmToken(settings, claims)
          : mintRtcToken(settings, { ...claims, callId: claims.callId }, memberRole),
    decode: (token) => neutralClaims(parseAccessToken2(token).content),
    verifySignature,
    webhook: agoraWebhook,
  }) as AgoraProvider as AgoraProvider<As>
}

function asAgoraRole(role: string): AgoraRole {
  if (role === 'publisher' || role === 'subscriber') return role
  throw new Error('agora: a call token needs the provider role publisher or subscriber')
}
