import type { IdentifierRule } from '@calltoken/core/provider'

// With the u flag a surrogate pair is one code point, so this only finds unpaired halves, which UTF-8 (and so
// LiveKit's server) cannot carry.
const LONE_SURROGATE = /\p{Cs}/u

/**
 * LiveKit documents no length or character set for identities and room names. These bounds only refuse what cannot
 * work: text that is not valid Unicode, and ids long enough to be a mistake (256 UTF-8 bytes).
 */
function liveKitRule(field: string): IdentifierRule {
  return {
    maxBytes: 256,
    check: (value) => (LONE_SURROGATE.test(value) ? `${field} must be valid Unicode (it contains an unpaired surrogate)` : undefined),
  }
}

/** `userId` becomes the participant identity (`sub`). */
export const identityRule: IdentifierRule = liveKitRule('userId')

/** `callId` becomes the room name (`video.room`). */
export const roomRule: IdentifierRule = liveKitRule('callId')
