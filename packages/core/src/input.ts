import type { CallTokenIssue } from './errors'
import { identifierProblem } from './identifiers'
import type { CallTokenRequest, IdentifierRule, ProviderLimits, TokenKind } from './types'
import { LOOKS_LIKE_TIMESTAMP } from './validity'

type Field = 'userId' | 'callId' | 'callIds' | 'callType' | 'role' | 'validityInSeconds' | 'extras'

/** The fields each kind of input accepts, in the order their problems are listed. */
export const INPUT_FIELDS: Readonly<Record<TokenKind, readonly Field[]>> = {
  user: ['userId', 'validityInSeconds', 'callId', 'callType', 'extras'],
  call: ['userId', 'callId', 'callIds', 'callType', 'role', 'validityInSeconds', 'extras'],
}
const KNOWN: Readonly<Record<TokenKind, ReadonlySet<string>>> = { user: new Set(INPUT_FIELDS.user), call: new Set(INPUT_FIELDS.call) }

/**
 * The input as a request, or every problem with it: unknown fields are refused, ids follow the provider's rules, and
 * each message names its field. Written by hand rather than with a schema library: valid input costs a few property
 * reads, and no validator is loaded at start-up. test/input.test.ts holds it to the same answers as zod schemas of
 * the same rules on random input.
 */
export function readInput(kind: TokenKind, input: unknown, providerId: string, limits: ProviderLimits): CallTokenRequest | CallTokenIssue[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return [{ path: '', message: 'the input must be an object' }]
  const fields = input as Record<string, unknown>
  const request: Record<string, unknown> = { kind }
  let issues: CallTokenIssue[] | undefined
  const problem = (path: string, message: string) => (issues ??= []).push({ path, message })

  // With several calls per token, a call token names its call by callId or its calls by callIds (checked last).
  const manyCalls = kind === 'call' && limits.maxCallsPerToken > 1
  for (const field of INPUT_FIELDS[kind]) {
    // Like a schema: an inherited field counts, and a field given as undefined is kept as undefined.
    const present = field in fields
    const value = present ? fields[field] : undefined
    if (field === 'userId' || (field === 'callId' && kind === 'call' && !manyCalls)) {
      checkIdentifier(field, value, limits[field], problem)
    } else if (value === undefined) {
      // Optional and not given.
    } else if (field === 'callId') {
      checkIdentifier(field, value, limits.callId, problem)
    } else if (field === 'callType') {
      if (limits.callType) checkIdentifier(field, value, limits.callType, problem)
      else problem(field, `callType is not supported by ${providerId}`)
    } else if (field === 'callIds') {
      if (manyCalls) checkCallIds(value, limits, problem)
      else problem(field, `callIds is not supported by ${providerId}: give one callId`)
    } else if (field === 'role') {
      if (typeof value !== 'string') problem(field, 'role must be a string')
      else if (value === '') problem(field, 'role must not be empty')
    } else if (field === 'extras') {
      const extras = readExtras(value, providerId, limits.extras, problem)
      if (extras) request[field] = extras
      continue
    } else {
      checkValidity(value, problem)
    }
    if (present) request[field] = value
  }
  for (const key in fields) if (!KNOWN[kind].has(key)) problem(key, `${key} is not a known field`)
  if (manyCalls) {
    if (fields.callId === undefined && fields.callIds === undefined) problem('callId', 'callId is required')
    else if (fields.callId !== undefined && fields.callIds !== undefined) problem('callIds', 'callIds must not be given together with callId')
  }
  return issues ?? (request as unknown as CallTokenRequest)
}

type Report = (path: string, message: string) => void

function checkIdentifier(field: string, value: unknown, rule: IdentifierRule, problem: Report): void {
  if (typeof value !== 'string') return problem(field, value === undefined ? `${field} is required` : `${field} must be a string`)
  const message = identifierProblem(field, value, rule)
  // An adapter's own check may word its message without the field's name.
  if (message !== undefined) problem(field, message.startsWith(field) ? message : `${field}: ${message}`)
}

/** 1 to the provider's maximum of unique call ids (their order is kept: it is the order in the token). */
function checkCallIds(value: unknown, limits: ProviderLimits, problem: Report): void {
  if (!Array.isArray(value)) return problem('callIds', 'callIds must be a list of call ids')
  let strings = true
  value.forEach((id, index) => {
    const field = `callIds.${index}`
    if (typeof id !== 'string') return ((strings = false), problem(field, `${field}: callId must be a string`))
    const message = identifierProblem('callId', id, limits.callId)
    if (message !== undefined) problem(field, `${field}: ${message}`)
  })
  // Rules on the list as a whole need a list of strings (as a schema, they still run beside a bad id).
  if (!strings) return
  if (value.length === 0) problem('callIds', 'callIds must name at least one call')
  if (value.length > limits.maxCallsPerToken) problem('callIds', `callIds may name at most ${limits.maxCallsPerToken} calls`)
  if (new Set(value).size !== value.length) problem('callIds', 'callIds must not name a call twice')
}

/**
 * The extras as given (only the names the adapter knows; their values are the adapter's to check), or undefined
 * when there are none. A field given as undefined is left out.
 */
function readExtras(value: unknown, providerId: string, known: readonly string[], problem: Report): Record<string, unknown> | undefined {
  if (known.length === 0) return void problem('extras', `extras is not supported by ${providerId}`)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return void problem('extras', 'extras must be an object')
  const given = value as Record<string, unknown>
  const extras: Record<string, unknown> = {}
  let any = false
  for (const name of known) {
    if (name in given && given[name] !== undefined) ((extras[name] = given[name]), (any = true))
  }
  for (const key in given) if (!known.includes(key)) problem(`extras.${key}`, `${key} is not a known field`)
  return any ? extras : undefined
}

function checkValidity(value: unknown, problem: Report): void {
  const field = 'validityInSeconds'
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    const kind = typeof value === 'string' ? ', not a string' : Number.isNaN(value) ? ', not NaN' : ''
    return problem(field, `validityInSeconds must be a number of seconds${kind}`)
  }
  if (!Number.isInteger(value)) problem(field, 'validityInSeconds must be a whole number of seconds')
  if (value <= 0) problem(field, 'validityInSeconds must be positive')
  if (value >= LOOKS_LIKE_TIMESTAMP) problem(field, 'validityInSeconds looks like a Unix timestamp; pass a duration in seconds (e.g. 3600)')
}
