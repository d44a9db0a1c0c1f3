import { unpairedSurrogateProblem, type IdentifierRule } from '@calltoken/core/provider'

/**
 * The session name (`tpc`): at most 200 characters of Zoom's documented set (letters, digits, space and the
 * visible symbols below). Zoom lowercases it: "Team" and "team" are one session.
 */
export const sessionNameRule: IdentifierRule = {
  pattern: /^[A-Za-z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,\\]+$/,
  allowed: 'letters, digits, space and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ , \\',
  maxLength: 200,
}

/** The user key (`user_key`): at most 36 characters, Zoom's documented limit. */
export const userKeyRule: IdentifierRule = {
  maxLength: 36,
  check: (value) => unpairedSurrogateProblem('userId', value),
}
