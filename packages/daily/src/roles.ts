import type { Capability } from '@calltoken/core/provider'

/** Daily's two kinds of participant: a meeting owner (`o: true`, Daily's host) and everyone else. */
export type DailyRole = 'owner' | 'participant'

export const DAILY_ROLES: readonly DailyRole[] = ['owner', 'participant']

/** roleMap first; otherwise only a role that may end the call is an owner. */
export function dailyRoleOf(roleMap: ReadonlyMap<string, DailyRole>, role: string, capabilities: ReadonlySet<Capability>): DailyRole {
  return roleMap.get(role) ?? (capabilities.has('end-call') ? 'owner' : 'participant')
}

export function asDailyRole(role: string): DailyRole {
  if (role === 'owner' || role === 'participant') return role
  throw new Error("daily: a token needs the provider role 'owner' or 'participant'")
}
