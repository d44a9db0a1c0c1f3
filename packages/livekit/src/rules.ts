import { unpairedSurrogateProblem, type IdentifierRule } from '@calltoken/core/provider'

/**
 * LiveKit documents no length or character set for identities and room names. These bounds only refuse what cannot
 * work: text that is not valid Unicode, and ids long enough to be a mistake (256 UTF-8 bytes).
 */
function liveKitRule(field: string): IdentifierRule {
  return {
    maxBytes: 256,
    check: (value) => unpairedSurrogateProblem(field, value),
  }
}

/** `userId` becomes the participant identity (`sub`). */
export const identityRule: IdentifierRule = liveKitRule('userId')

/** `callId` becomes the room name (`video.room`). */
export const roomRule: IdentifierRule = liveKitRule('callId')
