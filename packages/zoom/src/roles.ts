import type { Capability } from '@calltoken/core/provider'

/** Zoom Video SDK's two roles: `role_type` 1 (host or co-host, may end the session) and 0 (participant). */
export type ZoomRole = 'host' | 'participant'

export const ZOOM_ROLES: readonly ZoomRole[] = ['host', 'participant']

export const ROLE_TYPE: Readonly<Record<ZoomRole, 0 | 1>> = { host: 1, participant: 0 }

/** roleMap first; otherwise only a role that may end the call is a host (a moderator is a participant). */
export function zoomRoleOf(roleMap: ReadonlyMap<string, ZoomRole>, role: string, capabilities: ReadonlySet<Capability>): ZoomRole {
  return roleMap.get(role) ?? (capabilities.has('end-call') ? 'host' : 'participant')
}

export function asZoomRole(role: string): ZoomRole {
  if (role === 'host' || role === 'participant') return role
  throw new Error("zoom: a token needs the provider role 'host' or 'participant'")
}
