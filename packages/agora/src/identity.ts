/** How a calltoken userId becomes an Agora RTC user: a string account, or a numeric uid. */
export type UserIdAs = 'account' | 'uid'

/** RTC with `userIdAs: 'uid'`: `client.join(appId, channelName, token, uid)`; uid 0 = let Agora pick (wildcard token). */
export interface AgoraRtcUidConnect {
  readonly service: 'rtc'
  readonly appId: string
  readonly channelName: string
  readonly uid: number
  /** With the adapter's `rtm: true`: the same token logs in to RTM as this user id. */
  readonly rtmUserId?: string
}

/** RTC with a string account: join with exactly this account (e.g. `joinChannelWithUserAccount`). */
export interface AgoraRtcAccountConnect {
  readonly service: 'rtc'
  readonly appId: string
  readonly channelName: string
  readonly account: string
  /** With the adapter's `rtm: true`: the same token logs in to RTM as this user id. */
  readonly rtmUserId?: string
}

/** RTM (a user token without callId): log in to Signaling/RTM as `userId`. */
export interface AgoraRtmConnect {
  readonly service: 'rtm'
  readonly appId: string
  readonly userId: string
}

export type AgoraRtcConnect<As extends UserIdAs = UserIdAs> = As extends 'uid' ? AgoraRtcUidConnect : AgoraRtcAccountConnect

/** What the client needs to join with exactly the identity the token was minted for (never a secret). */
export type AgoraConnect<As extends UserIdAs = UserIdAs> = AgoraRtcConnect<As> | AgoraRtmConnect

/** The types of Agora tokens: RTM for a user token without a call, RTC (account or uid, by `userIdAs`) for a call. */
export interface AgoraTypes<As extends UserIdAs = UserIdAs> {
  readonly connect: { readonly user: AgoraRtmConnect; readonly userInCall: AgoraRtcConnect<As>; readonly call: AgoraRtcConnect<As> }
  readonly callType: false
}

export interface RtcIdentity {
  /** The uid/account string in the token: a uid in decimal, '' for uid 0 (as agora-token writes it). */
  readonly wire: string
  readonly join: { readonly uid: number } | { readonly account: string }
}

/** userId has passed the rules of its mode, so a uid here is canonical digits in 0..2^32-1. */
export function rtcIdentity(userId: string, userIdAs: UserIdAs): RtcIdentity {
  if (userIdAs === 'account') return { wire: userId, join: { account: userId } }
  const uid = Number(userId)
  return { wire: uid === 0 ? '' : String(uid), join: { uid } }
}
