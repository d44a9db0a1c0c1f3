import type { Capability } from '@calltoken/core/provider'

/**
 * LiveKit has no roles in its tokens, only grant booleans. A policy role becomes one of these profiles, and the
 * profile becomes the grants.
 */
export type LiveKitRole = 'admin' | 'moderator' | 'member' | 'viewer'

/**
 * The four grant profiles, from most to least allowed: what `roleMap` values may be.
 *
 * @example
 * const roleMap = Object.fromEntries(LIVEKIT_ROLES.map((profile) => [profile, profile])) // every role as itself
 */
export const LIVEKIT_ROLES: readonly LiveKitRole[] = ['admin', 'moderator', 'member', 'viewer']

/** The video grant of a token: every permission written out, because LiveKit reads a missing `canPublish` or `canSubscribe` as true. */
export interface LiveKitVideoGrant {
  readonly roomJoin: boolean
  readonly room?: string
  readonly roomAdmin: boolean
  readonly canPublish: boolean
  readonly canSubscribe: boolean
  readonly canPublishData: boolean
  readonly canUpdateOwnMetadata: boolean
  /** From `extras.canPublishSources`: the only sources that may be published. */
  readonly canPublishSources?: readonly string[]
  /** From `extras.hidden`. */
  readonly hidden?: boolean
}

type Permissions = Omit<LiveKitVideoGrant, 'roomJoin' | 'room'>

const PERMISSIONS: Readonly<Record<LiveKitRole, Permissions>> = {
  admin: { roomAdmin: true, canPublish: true, canSubscribe: true, canPublishData: true, canUpdateOwnMetadata: true },
  moderator: { roomAdmin: false, canPublish: true, canSubscribe: true, canPublishData: true, canUpdateOwnMetadata: true },
  member: { roomAdmin: false, canPublish: true, canSubscribe: true, canPublishData: true, canUpdateOwnMetadata: false },
  viewer: { roomAdmin: false, canPublish: false, canSubscribe: true, canPublishData: false, canUpdateOwnMetadata: false },
}
const NONE: Permissions = { roomAdmin: false, canPublish: false, canSubscribe: false, canPublishData: false, canUpdateOwnMetadata: false }

/** The grant for joining `room` with `role`'s permissions. */
export function roomGrant(room: string, role: LiveKitRole): LiveKitVideoGrant {
  return { roomJoin: true, room, ...PERMISSIONS[role] }
}

/**
 * The grant of a user token without a call: LiveKit joins need the room in the token ("room must be set" for
 * `roomJoin`), so such a token names the participant and allows nothing. Mint a token with a callId to join.
 */
export const NO_ROOM_GRANT: LiveKitVideoGrant = { roomJoin: false, ...NONE }

/** The profile a grant amounts to, the inverse of the table above (an unknown mix reads as the nearest below it). */
export function roleOfGrant(grant: Record<string, unknown>): LiveKitRole {
  if (grant.roomAdmin === true) return 'admin'
  // A missing canPublish is true for LiveKit.
  const publishes = grant.canPublish !== false
  if (publishes && grant.canUpdateOwnMetadata === true) return 'moderator'
  return publishes ? 'member' : 'viewer'
}

/**
 * roleMap first; otherwise by capabilities: ending the call or changing its settings makes an admin (roomAdmin),
 * muting or removing others a moderator, publishing audio or video a member, anything else a viewer.
 */
export function liveKitRoleOf(roleMap: ReadonlyMap<string, LiveKitRole>, role: string, capabilities: ReadonlySet<Capability>): LiveKitRole {
  const mapped = roleMap.get(role)
  if (mapped !== undefined) return mapped
  if (capabilities.has('end-call') || capabilities.has('update-call-settings')) return 'admin'
  if (capabilities.has('mute-others') || capabilities.has('remove-participants')) return 'moderator'
  if (capabilities.has('publish-audio') || capabilities.has('publish-video')) return 'member'
  return 'viewer'
}

/** The grant with the extras that belong in it (`canPublishSources`, `hidden`), after the permissions as addGrant would add them. */
export function withGrantExtras(grant: LiveKitVideoGrant, extras: { canPublishSources?: readonly string[]; hidden?: boolean } | undefined): LiveKitVideoGrant {
  if (extras?.canPublishSources === undefined && extras?.hidden === undefined) return grant
  return {
    ...grant,
    ...(extras.canPublishSources === undefined ? {} : { canPublishSources: extras.canPublishSources }),
    ...(extras.hidden === undefined ? {} : { hidden: extras.hidden }),
  }
}

export function asLiveKitRole(role: string): LiveKitRole {
  if (LIVEKIT_ROLES.includes(role as LiveKitRole)) return role as LiveKitRole
  throw new Error(`livekit: a call token needs one of the provider roles ${LIVEKIT_ROLES.join(', ')}`)
}
