import type { IdentifierRule } from '@calltoken/core/provider'

/** Daily room names: ASCII letters, digits, - and _, at most 128 characters (Daily's REST reference for rooms). */
export const roomNameRule: IdentifierRule = { pattern: /^[A-Za-z0-9_-]+$/, allowed: 'letters, digits, - and _', maxLength: 128 }

// With the u flag a surrogate pair is one code point, so this only finds unpaired halves, which UTF-8 cannot carry.
const LONE_SURROGATE = /\p{Cs}/u

/** The meeting token's user id (`ud`): at most 36 characters, Daily's limit for `user_id`. */
export const userIdRule: IdentifierRule = {
  maxLength: 36,
  check: (value) => (LONE_SURROGATE.test(value) ? 'userId must be valid Unicode (it contains an unpaired surrogate)' : undefined),
}
