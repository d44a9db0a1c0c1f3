import { z } from 'zod'
import { identifierSchema } from './identifiers'
import type { CallTokenInput, ProviderLimits, UserTokenInput } from './types'
import { validitySchema } from './validity'

export interface InputSchemas {
  readonly user: z.ZodType<UserTokenInput>
  readonly call: z.ZodType<CallTokenInput>
}

/** The strict input schemas for one provider: unknown fields are rejected, ids follow the provider's rules. */
export function inputSchemas(providerId: string, limits: ProviderLimits): InputSchemas {
  const userId = identifierSchema('userId', limits.userId)
  const callId = identifierSchema('callId', limits.callId)
  const callType = limits.callType
    ? identifierSchema('callType', limits.callType).optional()
    : z.undefined({ error: `callType is not supported by ${providerId}` }).optional()
  const role = z.string({ error: 'role must be a string' }).min(1, 'role must not be empty')
  const validity = validitySchema().optional()

  return {
    user: z.strictObject({ userId, validityInSeconds: validity, callId: callId.optional(), callType }),
    call: z.strictObject({ userId, callId, callType, role: role.optional(), validityInSeconds: validity }),
  }
}
