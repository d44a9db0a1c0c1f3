import * as z from 'zod/mini'
import type { IdentifierRule } from './types'

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
    .check(
      z.superRefine((value, ctx) => {
        const problem = identifierProblem(field, value, rule)
        if (problem) ctx.addIssue({ code: 'custom', message: problem })
      }),
    )
}
