import type { IdentifierRule } from '@calltoken/core/provider'

// Stream's own error text: "a-z, 0-9, @, _ and - are allowed"; upper case is accepted too.
export const userIdRule: IdentifierRule = {
  pattern: /^[A-Za-z0-9@_-]+$/,
  allowed: 'letters, digits, @, _ and -',
  maxLength: 255,
}

// A call cid is "<type>:<id>", so neither part may contain ':'.
export const callIdRule: IdentifierRule = { pattern: /^[A-Za-z0-9_-]+$/, allowed: 'letters, digits, _ and -', maxLength: 255 }
export const callTypeRule: IdentifierRule = { pattern: /^[A-Za-z0-9_-]+$/, allowed: 'letters, digits, _ and -', maxLength: 64 }

export const STREAM_ROLE = /^[A-Za-z0-9_-]{1,64}$/

/** Policy role → Stream call role. Other roles keep their name (Stream call roles are defined per call type). */
export const DEFAULT_ROLE_MAP: Readonly<Record<string, string>> = { admin: 'admin', moderator: 'moderator', member: 'user' }
