import type { Capability } from '@calltoken/core/provider'
import type { AgoraRole } from './privileges'

export type AgoraRoleMap = Readonly<Record<string, AgoraRole>>

/** roleMap first; otherwise a role that may publish audio or video is a publisher, any other a subscriber. */
export function agoraRoleOf(roleMap: ReadonlyMap<string, AgoraRole>, role: string, capabilities: ReadonlySet<Capability>): AgoraRole {
  return roleMap.get(role) ?? (capabilities.has('publish-audio') || capabilities.has('publish-video') ? 'publisher' : 'subscriber')
}
