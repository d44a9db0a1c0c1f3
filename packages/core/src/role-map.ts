import { configError } from './errors'

/**
 * An adapter's `roleMap` option (policy role → one of the provider's roles), checked once at creation into a Map, so
 * a role named "constructor" finds nothing inherited. Undefined is an empty map.
 *
 * @throws ERR_CALLTOKEN_INVALID_CONFIG naming the option and the allowed values when it is not an object of them.
 * @example
 * const roleMap = readRoleMap('zoom', options.roleMap, ['host', 'participant'] as const)
 * roleMap.get('moderator') // 'host' when the app mapped it, else undefined
 */
export function readRoleMap<Role extends string>(provider: string, roleMap: unknown, allowed: readonly Role[]): ReadonlyMap<string, Role> {
  const names = allowed.map((role) => `'${role}'`)
  const choice = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '')
  if (roleMap === undefined) return new Map()
  if (typeof roleMap !== 'object' || roleMap === null || Array.isArray(roleMap)) {
    throw configError(`${provider}: roleMap must be an object from policy role to ${choice}`)
  }
  const roles = new Map<string, Role>()
  for (const [role, value] of Object.entries(roleMap)) {
    if (!allowed.includes(value as Role)) throw configError(`${provider}: roleMap.${role} must be ${choice}`)
    roles.set(role, value as Role)
  }
  return roles
}
