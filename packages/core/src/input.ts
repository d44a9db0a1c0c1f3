import * as z from 'zod/mini'
import { identifierSchema } from './identifiers'
import type { CallTokenInput, ProviderLimits, UserTokenInput } from './types'
import { validitySchema } from './validity'

export interface InputSchemas {
  readonly user: z.ZodMiniType<UserTokenInput>
  readonly call: z.ZodMiniType<CallTokenInput>
}

/** The fields each kind of input accepts: the keys of the schemas below (a test keeps them equal). */
export const INPUT_KEYS: Readonly<Record<'user' | 'call', ReadonlySet<string>>> = {
  user: new Set(['userId', 'validityInSeconds', 'callId', 'callType']),
  call: new Set(['userId', 'callId', 'callType', 'role', 'validityInSeconds']),
}

/** The strict input schemas for one provider: unknown fields are rejected, ids follow the provider's rules. */
export function inputSchemas(providerId: string, limits: ProviderLimits): InputSchemas {
  const userId = identifierSchema('userId', limits.userId)
  const callId = identifierSchema('callId', limits.callId)
  const callType = limits.callType
    ? z.optional(identifierSchema('callType', limits.callType))
    : z.optional(z.undefined({ error: `callType is not supported by ${providerId}` }))
  const role = z.string({ error: 'role must be a string' }).check(z.minLength(1, 'role must not be empty'))
  const validity = z.optional(validitySchema())

  return {
    user: z.strictObject({ userId, validityInSeconds: validity, callId: z.optional(callId), callType }),
    call: z.strictObject({ userId, callId, callType, role: z.optional(role), validityInSeconds: validity }),
  }
}
