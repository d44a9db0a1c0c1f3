import { z } from 'zod'
import { identifierSchema } from './identifiers'
import type { ProviderLimits } from './provider'
import { validitySchema } from './validity'

/** A user token: a token for a user, optionally restricted to one call. */
export interface UserTokenInput {
  userId: string
  validityInSeconds?: number
  callId?: string
  callType?: string
}

/** A call token: a token for one call with a role. */
export interface CallTokenInput {
  userId: string
  callId: string
  callType?: string
  role?: string
  validityInSeconds?: number
}

/** Either input after validation, as adapters' `validateInput` sees it. */
export interface CallTokenRequest {
  readonly kind: 'user' | 'call'
  readonly userId: string
  readonly callId?: string
  readonly callType?: string
  readonly role?: string
  readonly validityInSeconds?: number
}

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
