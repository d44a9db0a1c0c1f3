import { configError } from './errors'

/** What a participant may do in a call. Apps may add their own capability names. */
export type Capability =
  | 'join-call'
  | 'publish-audio'
  | 'publish-video'
  | 'mute-others'
  | 'remove-participants'
  | 'update-call-settings'
  | 'end-call'
  | (string & {})

const MEMBER: readonly Capability[] = ['join-call', 'publish-audio', 'publish-video']
const MODERATOR: readonly Capability[] = [...MEMBER, 'mute-others', 'remove-participants']
const ADMIN: readonly Capability[] = [...MODERATOR, 'update-call-settings', 'end-call']

/**
 * The roles every policy starts with, and their capabilities: admin ⊃ moderator ⊃ member.
 *
 * @example
 * definePolicy({ roles: { admin: [...DEFAULT_ROLES.admin, 'issue-for-others'] } })
 */
export const DEFAULT_ROLES: Readonly<Record<'admin' | 'moderator' | 'member', readonly Capability[]>> = Object.freeze({
  admin: ADMIN,
  moderator: MODERATOR,
  member: MEMBER,
})

export interface PolicyOptions {
  /**
   * The validity range of tokens, intersected with the provider's own.
   */
  validity?: {
    /** Used when a request names no validity. Default 3600. */
    defaultSeconds?: number
    /** Default 60. */
    minSeconds?: number
    /** Default 86400 (24 h). */
    maxSeconds?: number
    /** Clamp a request outside the range into it instead of rejecting it. Default false. */
    clamp?: boolean
  }
  /** iat (or the provider's equivalent) is backdated by this many seconds. Default 5. */
  clockSkewSeconds?: number
  /** Roles added to (or, by name, replacing) admin/moderator/member; `null` removes a default role. */
  roles?: Record<string, readonly Capability[] | null>
  /** The role of a call token that names none. Default 'member'. */
  defaultRole?: string
}

export interface Policy {
  readonly validity: { readonly defaultSeconds: number; readonly minSeconds: number; readonly maxSeconds: number; readonly clamp: boolean }
  readonly clockSkewSeconds: number
  readonly defaultRole: string
  readonly roles: readonly string[]
  /** Whether `role` has `capability`; false for an unknown role. */
  can(role: string, capability: Capability): boolean
  capabilitiesOf(role: string): ReadonlySet<Capability>
}

const POLICY = Symbol.for('calltoken.policy')

/** The policy options, checked by hand: a zod schema here cost more start-up time than all the rest of core. */
function policyProblems(options: unknown): string[] {
  const problems: string[] = []
  const known = (value: object, path: string, keys: readonly string[]) => {
    for (const key of Object.keys(value)) if (!keys.includes(key)) problems.push(`${path}${key} is not a known option`)
  }
  const seconds = (value: unknown, name: string) => {
    if (value === undefined) return
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) problems.push(`${name} must be a positive whole number of seconds`)
  }
  if (!isRecord(options)) return ['the policy must be an object']
  known(options, '', ['validity', 'clockSkewSeconds', 'roles', 'defaultRole'])
  const { validity, clockSkewSeconds, roles, defaultRole } = options
  if (validity !== undefined) {
    if (!isRecord(validity)) problems.push('validity must be an object')
    else {
      known(validity, 'validity.', ['defaultSeconds', 'minSeconds', 'maxSeconds', 'clamp'])
      seconds(validity.defaultSeconds, 'validity.defaultSeconds')
      seconds(validity.minSeconds, 'validity.minSeconds')
      seconds(validity.maxSeconds, 'validity.maxSeconds')
      if (validity.clamp !== undefined && typeof validity.clamp !== 'boolean') problems.push('validity.clamp must be a boolean')
    }
  }
  if (clockSkewSeconds !== undefined && !(Number.isInteger(clockSkewSeconds) && (clockSkewSeconds as number) >= 0 && (clockSkewSeconds as number) <= 600)) {
    problems.push('clockSkewSeconds must be a whole number from 0 to 600')
  }
  if (roles !== undefined) {
    if (!isRecord(roles)) problems.push('roles must be an object')
    else {
      for (const [name, caps] of Object.entries(roles)) {
        if (!ROLE_NAME.test(name)) problems.push(`roles: "${name}" is not a role name (1-64 letters, digits, _ or -, starting with a letter)`)
        if (caps !== null && !(Array.isArray(caps) && caps.every((c) => typeof c === 'string' && c !== ''))) {
          problems.push(`roles.${name} must be a list of capability names, or null to remove the role`)
        }
      }
    }
  }
  if (defaultRole !== undefined && typeof defaultRole !== 'string') problems.push('defaultRole must be a string')
  return problems
}

const ROLE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Validates a policy once, so a bad one fails at start-up rather than at the first mint.
 *
 * @throws ERR_CALLTOKEN_INVALID_CONFIG naming every problem (an unknown option, a role without capabilities, a default role the policy lacks…).
 * @example
 * const policy = definePolicy({
 *   validity: { defaultSeconds: 1800, maxSeconds: 4 * 3600 },
 *   roles: { viewer: ['join-call'] },
 *   defaultRole: 'viewer',
 * })
 */
export function definePolicy(options: PolicyOptions = {}): Policy {
  const problems = policyProblems(options)
  if (problems.length > 0) throw configError(`Invalid policy: ${problems.join('; ')}`)
  const { validity = {}, clockSkewSeconds = 5, roles = {}, defaultRole = 'member' } = options
  const minSeconds = validity.minSeconds ?? 60
  const maxSeconds = validity.maxSeconds ?? 86_400
  const defaultSeconds = validity.defaultSeconds ?? 3600
  if (minSeconds > maxSeconds) throw configError(`Invalid policy: validity.minSeconds (${minSeconds}) is above validity.maxSeconds (${maxSeconds})`)
  if (defaultSeconds < minSeconds || defaultSeconds > maxSeconds) {
    throw configError(`Invalid policy: validity.defaultSeconds (${defaultSeconds}) is outside ${minSeconds}..${maxSeconds}`)
  }

  const capabilities = new Map<string, ReadonlySet<Capability>>()
  for (const [name, caps] of Object.entries({ ...DEFAULT_ROLES, ...roles })) {
    if (caps) capabilities.set(name, new Set(caps))
  }
  if (capabilities.size === 0) throw configError('Invalid policy: it defines no role')
  if (!capabilities.has(defaultRole)) {
    throw configError(`Invalid policy: defaultRole "${defaultRole}" is not one of its roles (${[...capabilities.keys()].join(', ')})`)
  }

  const none: ReadonlySet<Capability> = new Set()
  const policy: Policy = {
    validity: Object.freeze({ defaultSeconds, minSeconds, maxSeconds, clamp: validity.clamp ?? false }),
    clockSkewSeconds,
    defaultRole,
    roles: Object.freeze([...capabilities.keys()]),
    can: (role, capability) => capabilities.get(role)?.has(capability) ?? false,
    capabilitiesOf: (role) => capabilities.get(role) ?? none,
  }
  Object.defineProperty(policy, POLICY, { value: true })
  return Object.freeze(policy)
}

let defaultPolicy: Policy | undefined

/** A policy from definePolicy as is; plain options are validated now; none is the default policy. */
export function toPolicy(policy: Policy | PolicyOptions | undefined): Policy {
  if (policy === undefined) return (defaultPolicy ??= definePolicy())
  return (policy as Record<symbol, unknown>)[POLICY] === true ? (policy as Policy) : definePolicy(policy as PolicyOptions)
}
