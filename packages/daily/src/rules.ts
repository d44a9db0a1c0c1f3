import { unpairedSurrogateProblem, type IdentifierRule } from '@calltoken/core/provider'

/** Daily room names: ASCII letters, digits, - and _, at most 128 characters (Daily's REST reference for rooms). */
export const roomNameRule: IdentifierRule = { pattern: /^[A-Za-z0-9_-]+$/, allowed: 'letters, digits, - and _', maxLength: 128 }

/** The meeting token's user id (`ud`): at most 36 characters, Daily's limit for `user_id`. */
export const userIdRule: IdentifierRule = {
  maxLength: 36,
  check: (value) => unpairedSurrogateProblem('userId', value),
}
