import { z } from 'zod'
import { configError } from './errors'
import { zodIssues } from './zod-issues'

/** What a participant may do in a call (seed 000). Apps may add their own capability names. */
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

export const DEFAULT_ROLES: Readonly<Record<string, readonly Capability[]>> = Object.freeze({
  admin: ADMIN,
  moderator: MODERATOR,
  member: MEMBER,
})

export interface PolicyOptions {
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

const seconds = (name: string) =>
  z
    .number({ error: `${name} must be a number of seconds` })
    .int(`${name} must be a whole number of seconds`)
    .positive(`${name} must be positive`)

const roleName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'role names are 1-64 letters, digits, _ or -, starting with a letter')

const policySchema = z.strictObject({
  validity: z
    .strictObject({
      defaultSeconds: seconds('validity.defaultSeconds').optional(),
      minSeconds: seconds('validity.minSeconds').optional(),
      maxSeconds: seconds('validity.maxSeconds').optional(),
      clamp: z.boolean().optional(),
    })
    .optional(),
  clockSkewSeconds: z.number().int('clockSkewSeconds must be a whole number').min(0).max(600).optional(),
  roles: z.record(roleName, z.array(z.string().min(1)).readonly().nullable()).optional(),
  defaultRole: z.string().optional(),
})

/** Validates a policy once, so a bad one fails at start-up rather than at the first mint. */
export function definePolicy(options: PolicyOptions = {}): Policy {
  const parsed = policySchema.safeParse(options)
  if (!parsed.success) {
    throw configError(`Invalid policy: ${zodIssues(parsed.error).map((i) => i.message).join('; ')}`)
  }
  const { validity = {}, clockSkewSeconds = 5, roles = {}, defaultRole = 'member' } = parsed.data
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

export const defaultPolicy: Policy = definePolicy()

/** A policy from definePolicy as is; plain options are validated now. */
export function toPolicy(policy: Policy | PolicyOptions | undefined): Policy {
  if (policy === undefined) return defaultPolicy
  return (policy as Record<symbol, unknown>)[POLICY] === true ? (policy as Policy) : definePolicy(policy as PolicyOptions)
}
