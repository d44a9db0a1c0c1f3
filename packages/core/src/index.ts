/**
 * calltoken: video-call tokens for Stream, Agora and Twilio with one API.
 *
 * What an app calls: `createUserToken` / `createCallToken` (or a `createTokenService` with the provider and policy
 * bound), `definePolicy` for roles and validity, `appointmentValidity` for booked calls, and `CallTokenError` with
 * its codes. The adapters (`@calltoken/stream`, `@calltoken/agora`, `@calltoken/twilio`) make the provider; the HTTP
 * routes are in `@calltoken/core/http` and the framework bindings; what adapter authors need is in
 * `@calltoken/core/provider`.
 *
 * @packageDocumentation
 *
 * @example
 * import { createCallToken } from '@calltoken/core'
 * import { stream } from '@calltoken/stream'
 *
 * const provider = stream({ apiKey: process.env.STREAM_API_KEY!, apiSecret: process.env.STREAM_API_SECRET! })
 * const issued = await createCallToken({ userId: 'alice', callId: 'standup' }, { provider })
 */
export { appointmentValidity, type AppointmentValidityOptions } from './appointment'
export { CallTokenError, ERROR_STATUS, isCallTokenError, type CallTokenErrorCode, type CallTokenErrorOptions, type CallTokenIssue } from './errors'
export { DEFAULT_ROLES, definePolicy, type Capability, type Policy, type PolicyOptions } from './policy'
export { createCallToken, createTokenService, createUserToken } from './service'
export { verifyWebhook } from './webhook/verify-webhook'
export type { VerifyWebhookOptions, WebhookEvent, WebhookRequest } from './webhook/types'
export type {
  CallTokenInput,
  CallTokenProvider,
  DecodedToken,
  ExtrasOf,
  IssuedCallToken,
  IssuedToken,
  IssuedUserToken,
  ProviderTypes,
  TokenKind,
  TokenOptions,
  TokenExtras,
  TokenService,
  UserTokenInput,
  VerifyOptions,
} from './types'
