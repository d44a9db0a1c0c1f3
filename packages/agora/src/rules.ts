import type { CallTokenIssue, IdentifierRule } from '@calltoken/core/provider'

/** Agora's 89 characters for channel names, user accounts and RTM user ids (all ASCII, so bytes = characters). */
export const AGORA_CHARACTERS = /^[A-Za-z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,]+$/
const AGORA_ALLOWED = 'letters, digits, space and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ ,'

/** Agora: "less than 64 bytes". The builder does not check; the server rejects the join. */
export const channelRule: IdentifierRule = { pattern: AGORA_CHARACTERS, allowed: AGORA_ALLOWED, maxBytes: 63 }

/** A string user account ("userAccount"): at most 255 bytes. */
export const accountRule: IdentifierRule = { pattern: AGORA_CHARACTERS, allowed: AGORA_ALLOWED, maxBytes: 255 }

export const MAX_UID = 0xffff_ffff

/** A numeric uid written as a decimal string: canonical digits only, so "0123" or "1e3" cannot alias another uid. */
export function uidRule(allowAnyUid: boolean): IdentifierRule {
  return {
    maxLength: 10,
    check(value) {
      if (!/^(?:0|[1-9][0-9]*)$/.test(value)) {
        return 'userId must be an Agora uid: a whole number from 1 to 4294967295 in plain digits (no sign, decimals or leading zeros)'
      }
      if (Number(value) > MAX_UID) return 'userId must be at most 4294967295: an Agora uid is an unsigned 32-bit number'
      if (value === '0' && !allowAnyUid) {
        return 'userId "0" is Agora\'s wildcard that lets a client join as any uid; pass allowAnyUid: true to agora() if that is intended'
      }
      return undefined
    },
  }
}

/** RTM login ids: "less than 64 bytes", the 89 characters, not starting with a space and not "null". */
export function rtmUserIdIssues(userId: string, userIdAs: 'account' | 'uid'): CallTokenIssue[] {
  const problem =
    userIdAs === 'uid' && userId === '0'
      ? 'userId "0" (any uid) only applies to a call; a user token without callId is an RTM login and needs a real uid'
      : userId.length > 63
        ? 'userId must be at most 63 bytes for a user token without callId (an Agora RTM login)'
        : userId.startsWith(' ') || userId === 'null'
          ? 'userId must not start with a space or be "null" for a user token without callId (an Agora RTM login)'
          : undefined
  return problem === undefined ? [] : [{ path: 'userId', message: problem }]
}
