import { z } from 'zod'

/** What a provider accepts for one identifier (user id, call id, call type). */
export interface IdentifierRule {
  /** Every character must match this pattern (test it against the whole value). */
  readonly pattern?: RegExp
  /** Human wording of `pattern` for the error message, e.g. "letters, digits, @, _ and -". */
  readonly allowed?: string
  readonly maxLength?: number
  /** UTF-8 byte limit. */
  readonly maxBytes?: number
  /** A last check of the provider's own: a message when the value is not accepted. */
  readonly check?: (value: string) => string | undefined
}

const encoder = new TextEncoder()

export function identifierProblem(field: string, value: string, rule: IdentifierRule): string | undefined {
  if (value.length === 0) return `${field} must not be empty`
  if (rule.maxLength !== undefined && value.length > rule.maxLength) return `${field} must be at most ${rule.maxLength} characters`
  if (rule.maxBytes !== undefined && encoder.encode(value).length > rule.maxBytes) return `${field} must be at most ${rule.maxBytes} bytes`
  if (rule.pattern && !rule.pattern.test(value)) return `${field} may only contain ${rule.allowed ?? `characters matching ${rule.pattern}`}`
  return rule.check?.(value)
}

/** A required string field checked against a provider rule, with messages that name the field. */
export function identifierSchema(field: string, rule: IdentifierRule) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be a string`) })
    .superRefine((value, ctx) => {
      const problem = identifierProblem(field, value, rule)
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    })
}
