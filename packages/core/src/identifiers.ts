import { utf8Length } from './utf8-length'
import type { IdentifierRule } from './types'

export function identifierProblem(field: string, value: string, rule: IdentifierRule): string | undefined {
  if (value.length === 0) return `${field} must not be empty`
  if (rule.maxLength !== undefined && value.length > rule.maxLength) return `${field} must be at most ${rule.maxLength} characters`
  if (rule.maxBytes !== undefined && utf8Length(value) > rule.maxBytes) return `${field} must be at most ${rule.maxBytes} bytes`
  if (rule.pattern && !rule.pattern.test(value)) return `${field} may only contain ${rule.allowed ?? `characters matching ${rule.pattern}`}`
  return rule.check?.(value)
}
