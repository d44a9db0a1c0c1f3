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
  /** RTC tokens also carry an RTM login for the same user. */
  readonly rtm: boolean
  /** The RTC privileges' lifetime after the issue time, when shorter than the token's. */
  readonly privilegeSeconds: number | undefined
}

/**
 * One token with one service, and the client's `connect`. Core's absolute times become AccessToken2's relative ones:
 * issueTs = issuedAt (already backdated by the clock skew) and expire = expiresAt - issuedAt, so the token ends
 * exactly at expiresAt. The clock is never read here.
 */
function mint<Connect>(settings: MintSettings, claims: TokenClaims, services: (expire: number) => AccessToken2Service[], connect: Connect): MaybePromise<SignedToken<Connect>> {
  const expire = claims.expiresAt - claims.issuedAt
  const { appId, appCertificate } = settings
  const token = encodeAccessToken2({ appId, appCertificate, issueTs: claims.issuedAt, expire, salt: settings.salt(), services: services(expire) })
  return andThen(token, (signed) => ({ token: signed, connect }))
}

const rtmLogin = (userId: string, expire: number): AccessToken2Service => ({ type: SERVICE_RTM, privileges: rtmPrivileges(expire), strings: [userId] })

/**
 * An RTC token for `claims.callId` with `role`'s privileges, ending with the token or after `privilegeSeconds`,
 * whichever is first; with `rtm`, also an RTM login for the same user ending with the token (agora-token's
 * buildTokenWithRtm).
 */
export function mintRtcToken(settings: MintSettings, claims: TokenClaims & { callId: string }, role: AgoraRole): MaybePromise<SignedToken<AgoraRtcConnect>> {
  const channelName = claims.callId
  const identity = rtcIdentity(claims.userId, settings.userIdAs)
  const services = (expire: number) => {
    const privilegeExpire = settings.privilegeSeconds === undefined ? expire : Math.min(settings.privilegeSeconds, expire)
    const rtc: AccessToken2Service = { type: SERVICE_RTC, privileges: rtcPrivileges(role, privilegeExpire), strings: [channelName, identity.wire] }
    return settings.rtm ? [rtc, rtmLogin(claims.userId, expire)] : [rtc]
  }
  const connect = { service: 'rtc', appId: settings.appId, channelName, ...identity.join, ...(settings.rtm ? { rtmUserId: claims.userId } : {}) }
  return mint<AgoraRtcConnect>(settings, claims, services, connect as AgoraRtcConnect)
}

/** An RTM login token for `claims.userId`, its login privilege ending with the token. */
export function mintRtmToken(settings: MintSettings, claims: TokenClaims): MaybePromise<SignedToken<AgoraRtmConnect>> {
  return mint<AgoraRtmConnect>(settings, claims, (expire) => [rtmLogin(claims.userId, expire)], { service: 'rtm', appId: settings.appId, userId: claims.userId })
}
