import { unpairedSurrogateProblem, type IdentifierRule } from '@calltoken/core/provider'

/**
 * Twilio's limit for a participant identity (error 53200) and a room name (error 53101).
 *
 * @example
 * if (twilioLength(roomName) > MAX_TWILIO_LENGTH) throw new Error('room name too long for Twilio')
 */
export const MAX_TWILIO_LENGTH = 128

/**
 * Length as Twilio counts it: "double-byte characters are counted as 2 characters" (error 53200). Twilio does not
 * publish the exact rule, so this errs on the strict side: every UTF-16 code unit from U+0800 up (CJK, and both halves
 * of an emoji's surrogate pair) counts 2, everything below counts 1. A name we accept is then never too long for Twilio.
 *
 * @example
 * twilioLength('apt-47') // 6
 * twilioLength('会議室')  // 6: each CJK character counts 2
 */
export function twilioLength(value: string): number {
  let length = 0
  for (let i = 0; i < value.length; i++) length += value.charCodeAt(i) >= 0x800 ? 2 : 1
  return length
}

// Unpaired surrogates cannot be sent as UTF-8 (room names: error 53102).
function twilioNameRule(field: string, twilioName: string): IdentifierRule {
  return {
    // Catches the plainly too long before counting; `check` applies Twilio's own count.
    maxLength: MAX_TWILIO_LENGTH,
    check(value) {
      const unpaired = unpairedSurrogateProblem(field, value)
      if (unpaired) return unpaired
      if (twilioLength(value) > MAX_TWILIO_LENGTH) {
        return `${field} must be at most ${MAX_TWILIO_LENGTH} characters as Twilio counts a ${twilioName} (characters from U+0800 up, such as CJK, count 2; emoji 4)`
      }
      return undefined
    },
  }
}

/** `userId` becomes `grants.identity`: non-empty (core checks that), at most 128 Twilio characters. */
export const identityRule: IdentifierRule = twilioNameRule('userId', 'participant identity')

/**
 * `callId` becomes `grants.video.room`, the room name (or RM… SID) the client connects to. Twilio documents no count
 * for room names, so the identity count is used: the stricter reading.
 */
export const roomRule: IdentifierRule = twilioNameRule('callId', 'room name')
