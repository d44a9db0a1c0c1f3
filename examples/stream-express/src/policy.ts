import { DEFAULT_ROLES, definePolicy } from '@calltoken/core'
import { ISSUE_FOR_OTHERS } from '@calltoken/express'
import type { UserRole } from './db/schema'

/**
 * The call token's roles (admin, moderator, member; default member) and the user token's validity (default 3600 s).
 * Admins may also ask for tokens in another (existing) user's name.
 */
export const policy = definePolicy({
  validity: { defaultSeconds: 3600, minSeconds: 60, maxSeconds: 86_400 },
  roles: { admin: [...DEFAULT_ROLES.admin, ISSUE_FOR_OTHERS] },
})

/** The call roles a user may ask for: members only `member`, admins any of the three. */
export function callRolesOf(role: UserRole): string[] {
  return role === 'admin' ? ['admin', 'moderator', 'member'] : ['member']
}

/** What the original API's anonymous curls ask for (ALLOW_ANONYMOUS_TOKENS=true); admin needs a signed-in admin. */
export const ANONYMOUS_ROLES: readonly string[] = ['member', 'moderator']
