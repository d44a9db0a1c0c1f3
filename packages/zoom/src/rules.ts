import type { IdentifierRule } from '@calltoken/core/provider'

/**
 * The session name (`tpc`): at most 200 characters of Zoom's documented set (letters, digits, space and the
 * visible symbols below). Zoom lowercases it: "Team" and "team" are one session.
 */
export const sessionNameRule: IdentifierRule = {
  pattern: /^[A-Za-z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,\\]+$/,
  allowed: 'letters, digits, space and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ , \\',
  maxLength: 200,
}

// With the u flag a surrogate pair is one code point, so this only finds unpaired halves, which UTF-8 cannot carry.
const LONE_SURROGATE = /\p{Cs}/u

/** The user key (`user_key`): at most 36 characters, Zoom's documented limit. */
export const userKeyRule: IdentifierRule = {
  maxLength: 36,
  check: (value) => (LONE_SURROGATE.test(value) ? 'userId must be valid Unicode (it contains an unpaired surrogate)' : undefined),
}
