/**
 * The token routes without a framework: `createTokenHandler` holds all their HTTP behaviour (authentication, rate
 * limit, body rules, authorization, refresh tokens, answers); `@calltoken/express` and `@calltoken/fastify` only
 * translate requests and replies. Also here: `bearerJwt` (authenticate with your identity provider's JWTs),
 * `openApiDocument`, the rate-limit stores, `createWebhookHandler` (a webhook route's behaviour), and the pieces a
 * binding for another framework needs.
 *
 * @packageDocumentation
 */
export { authenticationFailed, bodyTooLarge } from '../errors'
export { ISSUE_FOR_OTHERS } from './authorize'
export { bearerJwt, type RequestWithHeaders } from './bearer-jwt'
export type { BearerJwtOptions } from './bearer-jwt-config'
export { BODY_LIMIT_BYTES } from './body'
export { bodyReadError } from './body-read-error'
export { errorBody, tokenBody } from './envelope'
export { createTokenHandler, TOKEN_ROUTES, type TokenHandler } from './handler'
export { createWebhookHandler, WEBHOOK_BODY_LIMIT_BYTES, type WebhookHandler, type WebhookHttpRequest, type WebhookRouteOptions } from './webhook-handler'
export { openApiDocument, type OpenApiOptions } from './openapi'
export { memoryRateLimitStore, type MemoryRateLimitStore, type MemoryRateLimitStoreOptions } from './rate-limit-memory-store'
export { redisRateLimitStore, type RedisEvalClient, type RedisRateLimitStoreOptions } from './rate-limit-redis-store'
export type { RateLimitHit, RateLimitStore } from './rate-limit-store'
export type { RefreshOptions } from './refresh-token'
export type {
  AuthorizeContext,
  AuthorizeResult,
  CallTokenRouteOptions,
  IssuedTokenOf,
  Principal,
  RateLimitOptions,
  RouteRateLimit,
  TokenHttpRequest,
  TokenHttpResponse,
  TokenIssuedEvent,
  TokenRouteInput,
  TokenRouteKind,
  TokenRouteLogger,
  TokenRouteMethod,
  TokenRouteSpec,
} from './types'
