import { configError, type Capability } from '@calltoken/core/provider'

/** Zoom Video SDK's two roles: `role_type` 1 (host or co-host, may end the session) and 0 (participant). */
export type ZoomRole = 'host' | 'participant'

export const ROLE_TYPE: Readonly<Record<ZoomRole, 0 | 1>> = { host: 1, participant: 0 }

/** Checks `roleMap` once, at creation, into a Map (so a role named "constructor" finds nothing inherited). */
export function readRoleMap(roleMap: unknown): ReadonlyMap<string, ZoomRole> {
  if (roleMap === undefined) return new Map()
  if (typeof roleMap !== 'object' || roleMap === null || Array.isArray(roleMap)) {
    throw configError("zoom: roleMap must be an object from policy role to 'host' or 'participant'")
  }
  const roles = new Map<string, ZoomRole>()
  for (const [role, zoomRole] of Object.entries(roleMap)) {
    if (zoomRole !== 'host' && zoomRole !== 'participant') throw configError(`zoom: roleMap.${role} must be 'host' or 'participant'`)
    roles.set(role, zoomRole)
  }
  return roles
}

/** roleMap first; otherwise only a role that may end the call is a host (a moderator is a participant). */
export function zoomRoleOf(roleMap: ReadonlyMap<string, ZoomRole>, role: string, capabilities: ReadonlySet<Capability>): ZoomRole {
  return roleMap.get(role) ?? (capabilities.has('end-call') ? 'host' : 'participant')
}

export function asZoomRole(role: string): ZoomRole {
  if (role === 'host' || role === 'participant') return role
  throw new Error("zoom: a token needs the provider role 'host' or 'participant'")
}
