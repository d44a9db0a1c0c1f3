import { configError, type Capability } from '@calltoken/core/provider'
import type { AgoraRole } from './privileges'

export type AgoraRoleMap = Readonly<Record<string, AgoraRole>>

/** Checks `roleMap` once, at creation, into a Map (so a role named "constructor" finds nothing inherited). */
export function readRoleMap(roleMap: unknown): ReadonlyMap<string, AgoraRole> {
  if (roleMap === undefined) return new Map()
  if (typeof roleMap !== 'object' || roleMap === null || Array.isArray(roleMap)) {
    throw configError("agora: roleMap must be an object from policy role to 'publisher' or 'subscriber'")
  }
  const roles = new Map<string, AgoraRole>()
  for (const [role, agoraRole] of Object.entries(roleMap)) {
    if (agoraRole !== 'publisher' && agoraRole !== 'subscriber') {
      throw configError(`agora: roleMap.${role} must be 'publisher' or 'subscriber'`)
    }
    roles.set(role, agoraRole)
  }
  return roles
}

/** roleMap first; otherwise a role that may publish audio or video is a publisher, any other a subscriber. */
export function agoraRoleOf(roleMap: ReadonlyMap<string, AgoraRole>, role: string, capabilities: ReadonlySet<Capability>): AgoraRole {
  return roleMap.get(role) ?? (capabilities.has('publish-audio') || capabilities.has('publish-video') ? 'publisher' : 'subscriber')
}
