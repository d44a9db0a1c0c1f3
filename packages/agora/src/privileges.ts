/** AccessToken2 service types this adapter mints (the wire also knows 3..10: Streaming, FPA, Chat, …). */
export const SERVICE_RTC = 1
export const SERVICE_RTM = 2
export const SERVICE_RTM2 = 8

/** RTC privilege ids. */
export const RTC_JOIN_CHANNEL = 1
export const RTC_PUBLISH_AUDIO = 2
export const RTC_PUBLISH_VIDEO = 3
export const RTC_PUBLISH_DATA = 4

/** RTM privilege id. */
export const RTM_LOGIN = 1

/** Agora's two RTC roles. */
export type AgoraRole = 'publisher' | 'subscriber'

export const AGORA_ROLES: readonly AgoraRole[] = ['publisher', 'subscriber']

/** Privilege id → seconds after the issue time at which it ends. */
export type Privileges = Readonly<Record<number, number>>

/**
 * What agora-token's PUBLISHER and SUBSCRIBER roles grant. Every privilege gets the token's own
 * lifetime, so none outlives the token and none silently ends before it.
 */
export function rtcPrivileges(role: AgoraRole, expire: number): Privileges {
  if (role === 'subscriber') return { [RTC_JOIN_CHANNEL]: expire }
  return { [RTC_JOIN_CHANNEL]: expire, [RTC_PUBLISH_AUDIO]: expire, [RTC_PUBLISH_VIDEO]: expire, [RTC_PUBLISH_DATA]: expire }
}

export function rtmPrivileges(expire: number): Privileges {
  return { [RTM_LOGIN]: expire }
}

/** The role a set of RTC privileges amounts to: publishing audio or video makes a publisher. */
export function roleOfRtcPrivileges(privileges: Privileges): AgoraRole {
  return RTC_PUBLISH_AUDIO in privileges || RTC_PUBLISH_VIDEO in privileges ? 'publisher' : 'subscriber'
}
