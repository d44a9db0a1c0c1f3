import { configError, type Capability } from '@calltoken/core/provider'

/** Daily's two kinds of participant: a meeting owner (`o: true`, Daily's host) and everyone else. */
export type DailyRole = 'owner' | 'participant'

/** Checks `roleMap` once, at creation, into a Map (so a role named "constructor" finds nothing inherited). */
export function readRoleMap(roleMap: unknown): ReadonlyMap<string, DailyRole> {
  if (roleMap === undefined) return new Map()
  if (typeof roleMap !== 'object' || roleMap === null || Array.isArray(roleMap)) {
    throw configError("daily: roleMap must be an object from policy role to 'owner' or 'participant'")
  }
  const roles = new Map<string, DailyRole>()
  for (const [role, dailyRole] of Object.entries(roleMap)) {
    if (dailyRole !== 'owner' && dailyRole !== 'participant') throw configError(`daily: roleMap.${role} must be 'owner' or 'participant'`)
    roles.set(role, dailyRole)
  }
  return roles
}

/** roleMap first; otherwise only a role that may end the call is an owner. */
export function dailyRoleOf(roleMap: ReadonlyMap<string, DailyRole>, role: string, capabilities: ReadonlySet<Capability>): DailyRole {
  return roleMap.get(role) ?? (capabilities.has('end-call') ? 'owner' : 'participant')
}

export function asDailyRole(role: string): DailyRole {
  if (role === 'owner' || role === 'participant') return role
  throw new Error("daily: a token needs the provider role 'owner' or 'participant'")
}
