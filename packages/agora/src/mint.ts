import { andThen, type MaybePromise, type SignedToken, type TokenClaims } from '@calltoken/core/provider'
import { encodeAccessToken2 } from './access-token2'
import { rtcIdentity, type AgoraRtcConnect, type AgoraRtmConnect, type UserIdAs } from './identity'
import { rtcPrivileges, rtmPrivileges, SERVICE_RTC, SERVICE_RTM, type AgoraRole } from './privileges'

export interface MintSettings {
  readonly appId: string
  readonly appCertificate: string
  readonly userIdAs: UserIdAs
  /** A fresh salt per token: 1..99999999. */
  readonly salt: () => number
}

/**
 * Core's absolute times become AccessToken2's relative ones: issueTs = issuedAt (already backdated
 * by the clock skew) and expire = expiresAt - issuedAt, so the token ends exactly at expiresAt.
 * The clock is never read here.
 */
function timing(claims: TokenClaims) {
  return { issueTs: claims.issuedAt, expire: claims.expiresAt - claims.issuedAt }
}

/** An RTC token for `claims.callId` with `role`'s privileges, each ending with the token. */
export function mintRtcToken(settings: MintSettings, claims: TokenClaims & { callId: string }, role: AgoraRole): MaybePromise<SignedToken<AgoraRtcConnect>> {
  const channelName = claims.callId
  const { issueTs, expire } = timing(claims)
  const identity = rtcIdentity(claims.userId, settings.userIdAs)
  const token = encodeAccessToken2({
    appId: settings.appId,
    appCertificate: settings.appCertificate,
    issueTs,
    expire,
    salt: settings.salt(),
    services: [{ type: SERVICE_RTC, privileges: rtcPrivileges(role, expire), strings: [channelName, identity.wire] }],
  })
  const connect: AgoraRtcConnect = { service: 'rtc', appId: settings.appId, channelName, ...identity.join }
  return andThen(token, (signed) => ({ token: signed, connect }))
}

/** An RTM login token for `claims.userId`, its login privilege ending with the token. */
export function mintRtmToken(settings: MintSettings, claims: TokenClaims): MaybePromise<SignedToken<AgoraRtmConnect>> {
  const { issueTs, expire } = timing(claims)
  const token = encodeAccessToken2({
    appId: settings.appId,
    appCertificate: settings.appCertificate,
    issueTs,
    expire,
    salt: settings.salt(),
    services: [{ type: SERVICE_RTM, privileges: rtmPrivileges(expire), strings: [claims.userId] }],
  })
  const connect: AgoraRtmConnect = { service: 'rtm', appId: settings.appId, userId: claims.userId }
  return andThen(token, (signed) => ({ token: signed, connect }))
}
