import type { CallTokenIssue } from './errors'
import { identifierProblem } from './identifiers'
import type { CallTokenRequest, IdentifierRule, ProviderLimits, TokenKind } from './types'
import { LOOKS_LIKE_TIMESTAMP } from './validity'

type Field = 'userId' | 'callId' | 'callType' | 'role' | 'validityInSeconds'

/** The fields each kind of input accepts, in the order their problems are listed. */
export const INPUT_FIELDS: Readonly<Record<TokenKind, readonly Field[]>> = {
  user: ['userId', 'validityInSeconds', 'callId', 'callType'],
  call: ['userId', 'callId', 'callType', 'role', 'validityInSeconds'],
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

  for (const field of INPUT_FIELDS[kind]) {
    // Like a schema: an inherited field counts, and a field given as undefined is kept as undefined.
    const present = field in fields
    const value = present ? fields[field] : undefined
    if (field === 'userId' || (field === 'callId' && kind === 'call')) {
      checkIdentifier(field, value, limits[field], problem)
    } else if (value === undefined) {
      // Optional and not given.
    } else if (field === 'callId') {
      checkIdentifier(field, value, limits.callId, problem)
    } else if (field === 'callType') {
      if (limits.callType) checkIdentifier(field, value, limits.callType, problem)
      else problem(field, `callType is not supported by ${providerId}`)
    } else if (field === 'role') {
      if (typeof value !== 'string') problem(field, 'role must be a string')
      else if (value === '') problem(field, 'role must not be empty')
    } else {
      checkValidity(value, problem)
    }
    if (present) request[field] = value
  }
  for (const key in fields) if (!KNOWN[kind].has(key)) problem(key, `${key} is not a known field`)
  return issues ?? (request as unknown as CallTokenRequest)
}

type Report = (path: string, message: string) => void

function checkIdentifier(field: string, value: unknown, rule: IdentifierRule, problem: Report): void {
  if (typeof value !== 'string') return problem(field, value === undefined ? `${field} is required` : `${field} must be a string`)
  const message = identifierProblem(field, value, rule)
  // An adapter's own check may word its message without the field's name.
  if (message !== undefined) problem(field, message.startsWith(field) ? message : `${field}: ${message}`)
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
