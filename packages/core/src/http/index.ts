export { authenticationFailed } from './authentication-failed'
export { bearerJwt, type BearerJwtOptions, type RequestWithHeaders } from './bearer-jwt'
export { BODY_LIMIT_BYTES, bodyTooLarge } from './body'
export { errorBody, NO_STORE, tokenBody } from './envelope'
export { ISSUE_FOR_OTHERS } from './authorize'
export { createTokenHandler, TOKEN_ROUTES, type TokenHandler } from './handler'
export { openApiDocument, type OpenApiOptions } from './openapi'
export { DEFAULT_SESSION_SECONDS, type RefreshOptions } from './refresh-token'
export { checkTokenRoute } from './route-spec'
export type {
  AuthorizeContext,
  AuthorizeResult,
  CallTokenRouteOptions,
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
export { DEFAULT_RATE_LIMIT, rateLimited, rateLimitKey, routeRateLimit } from './rate-limit'
export { DEFAULT_RATE_LIMIT_PREFIX } from './rate-limit'
export { clientIpKey } from './client-ip'
export { createRateLimiter, type RateLimitCheck, type RateLimiter, type RateLimiterEnvironment, type RateLimiterOptions, type RateLimitVerdict } from './rate-limiter'
export type { RateLimitHit, RateLimitStore } from './rate-limit-store'
export { memoryRateLimitStore, type MemoryRateLimitStore, type MemoryRateLimitStoreOptions } from './rate-limit-memory-store'
export { redisRateLimitStore, type RedisEvalClient, type RedisRateLimitStoreOptions } from './rate-limit-redis-store'
