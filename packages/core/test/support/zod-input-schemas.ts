import * as z from 'zod/mini'
import type { CallTokenIssue } from '../../src/errors'
import { identifierProblem } from '../../src/identifiers'
import type { CallTokenInput, IdentifierRule, ProviderLimits, UserTokenInput } from '../../src/types'
import { LOOKS_LIKE_TIMESTAMP } from '../../src/validity'

// The input rules written as zod schemas: the specification the hand-written reader in src/input.ts is held to
// (test/input.test.ts). Core used to run these; reading five fields by hand costs a few property reads and keeps
// zod's ~37 KB and ~3 ms of start-up out of every process.

function identifierSchema(field: string, rule: IdentifierRule) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be a string`) })
    .check(
      z.superRefine((value, ctx) => {
        const problem = identifierProblem(field, value, rule)
        if (problem) ctx.addIssue({ code: 'custom', message: problem })
      }),
    )
}

function validitySchema() {
  return z
    .number({
      error: (issue) =>
        typeof issue.input === 'string'
          ? 'validityInSeconds must be a number of seconds, not a string'
          : Number.isNaN(issue.input)
            ? 'validityInSeconds must be a number of seconds, not NaN'
            : 'validityInSeconds must be a number of seconds',
    })
    .check(
      z.refine(Number.isInteger, 'validityInSeconds must be a whole number of seconds'),
      z.positive('validityInSeconds must be positive'),
      z.refine((v) => v < LOOKS_LIKE_TIMESTAMP, 'validityInSeconds looks like a Unix timestamp; pass a duration in seconds (e.g. 3600)'),
    )
}

export interface InputSchemas {
  readonly user: z.ZodMiniType<UserTokenInput>
  readonly call: z.ZodMiniType<CallTokenInput>
}

/** The strict input schemas for one provider: unknown fields are rejected, ids follow the provider's rules. */
export function inputSchemas(providerId: string, limits: ProviderLimits): InputSchemas {
  const userId = identifierSchema('userId', limits.userId)
  const callId = identifierSchema('callId', limits.callId)
  const callType = limits.callType
    ? z.optional(identifierSchema('callType', limits.callType))
    : z.optional(z.undefined({ error: `callType is not supported by ${providerId}` }))
  // A refine, not z.minLength: zod runs length checks even on a non-string that has a length ([] gave two problems).
  const role = z.string({ error: 'role must be a string' }).check(z.refine((v) => v !== '', 'role must not be empty'))
  const validity = z.optional(validitySchema())
  const extras =
    limits.extras.length === 0
      ? z.optional(z.undefined({ error: `extras is not supported by ${providerId}` }))
      : z.optional(
          z.strictObject(Object.fromEntries(limits.extras.map((name) => [name, z.optional(z.unknown())])), {
            error: (issue) => (issue.code === 'invalid_type' ? 'extras must be an object' : undefined),
          }),
        )
  const user = z.strictObject({ userId, validityInSeconds: validity, callId: z.optional(callId), callType, extras })
  if (limits.maxCallsPerToken <= 1) {
    const callIds = z.optional(z.undefined({ error: `callIds is not supported by ${providerId}: give one callId` }))
    return { user, call: z.strictObject({ userId, callId, callIds, callType, role: z.optional(role), validityInSeconds: validity, extras }) as never }
  }
  // Several calls per token: callId or callIds, never both (a rule on the whole input, listed last).
  const max = limits.maxCallsPerToken
  const callIds = z.optional(
    z.array(identifierSchema('callId', limits.callId), { error: 'callIds must be a list of call ids' }).check(
      z.refine((ids) => ids.length > 0, 'callIds must name at least one call'),
      z.refine((ids) => ids.length <= max, `callIds may name at most ${max} calls`),
      z.refine((ids) => new Set(ids).size === ids.length, 'callIds must not name a call twice'),
    ),
  )
  const call = z.strictObject({ userId, callId: z.optional(callId), callIds, callType, role: z.optional(role), validityInSeconds: validity, extras }).check(
    z.superRefine(
      (input, ctx) => {
        if (typeof input !== 'object' || input === null || Array.isArray(input)) return
        const { callId: one, callIds: many } = input as Record<string, unknown>
        if (one === undefined && many === undefined) ctx.addIssue({ code: 'custom', path: ['callId'], message: 'callId is required' })
        else if (one !== undefined && many !== undefined) ctx.addIssue({ code: 'custom', path: ['callIds'], message: 'callIds must not be given together with callId' })
      },
      { when: () => true },
    ),
  )
  return { user, call: call as never }
}

/** Zod's issues as calltoken issues: a dotted field path and a message that names the field. */
export function zodIssues(error: z.core.$ZodError): CallTokenIssue[] {
  return error.issues.flatMap((issue): CallTokenIssue[] => {
    const path = issue.path.map(String).join('.')
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, message: `${key} is not a known field` }))
    }
    if (path === '' && issue.code === 'invalid_type') return [{ path, message: 'the input must be an object' }]
    const named = path === '' || issue.message.startsWith(path)
    return [{ path, message: named ? issue.message : `${path}: ${issue.message}` }]
  })
}
