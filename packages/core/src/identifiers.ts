import { utf8Length } from './utf8-length'
import type { IdentifierRule } from './types'

export function identifierProblem(field: string, value: string, rule: IdentifierRule): string | undefined {
  if (value.length === 0) return `${field} must not be empty`
  if (rule.maxLength !== undefined && value.length > rule.maxLength) return `${field} must be at most ${rule.maxLength} characters`
  if (rule.maxBytes !== undefined && utf8Length(value) > rule.maxBytes) return `${field} must be at most ${rule.maxBytes} bytes`
  if (rule.pattern && !rule.pattern.test(value)) return `${field} may only contain ${rule.allowed ?? `characters matching ${rule.pattern}`}`
  return rule.check?.(value)
}

// With the u flag a surrogate pair is one code point, so this finds only unpaired halves, which UTF-8 cannot carry.
const LONE_SURROGATE = /\p{Cs}/u

/**
 * A message when `value` holds an unpaired UTF-16 surrogate (it cannot be sent as UTF-8), else undefined: a ready
 * `check` for identifier rules of providers that take any Unicode.
 *
 * @example
 * const roomRule: IdentifierRule = { maxBytes: 256, check: (value) => unpairedSurrogateProblem('callId', value) }
 */
export function unpairedSurrogateProblem(field: string, value: string): string | undefined {
  return LONE_SURROGATE.test(value) ? `${field} must be valid Unicode (it contains an unpaired surrogate)` : undefined
}
