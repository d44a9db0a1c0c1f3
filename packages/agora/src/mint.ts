import { andThen, type MaybePromise, type SignedToken, type TokenClaims } from '@calltoken/core/provider'
import { encodeAccessToken2, type AccessToken2Service } from './access-token2'
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
 * One token with one service, and the client's `connect`. Core's absolute times become AccessToken2's relative ones:
 * issueTs = issuedAt (already backdated by the clock skew) and expire = expiresAt - issuedAt, so the token ends
 * exactly at expiresAt. The clock is never read here.
 */
function mint<Connect>(settings: MintSettings, claims: TokenClaims, service: (expire: number) => AccessToken2Service, connect: Connect): MaybePromise<SignedToken<Connect>> {
  const expire = claims.expiresAt - claims.issuedAt
  const { appId, appCertificate } = settings
  const token = encodeAccessToken2({ appId, appCertificate, issueTs: claims.issuedAt, expire, salt: settings.salt(), services: [service(expire)] })
  return andThen(token, (signed) => ({ token: signed, connect }))
}

/** An RTC token for `claims.callId` with `role`'s privileges, each ending with the token. */
export function mintRtcToken(settings: MintSettings, claims: TokenClaims & { callId: string }, role: AgoraRole): MaybePromise<SignedToken<AgoraRtcConnect>> {
  const channelName = claims.callId
  const identity = rtcIdentity(claims.userId, settings.userIdAs)
  const service = (expire: number) => ({ type: SERVICE_RTC, privileges: rtcPrivileges(role, expire), strings: [channelName, identity.wire] })
  return mint<AgoraRtcConnect>(settings, claims, service, { service: 'rtc', appId: settings.appId, channelName, ...identity.join })
}

/** An RTM login token for `claims.userId`, its login privilege ending with the token. */
export function mintRtmToken(settings: MintSettings, claims: TokenClaims): MaybePromise<SignedToken<AgoraRtmConnect>> {
  const service = (expire: number) => ({ type: SERVICE_RTM, privileges: rtmPrivileges(expire), strings: [claims.userId] })
  return mint<AgoraRtmConnect>(settings, claims, service, { service: 'rtm', appId: settings.appId, userId: claims.userId })
}
