/**
 * The token routes on the Fetch API: `createFetchHandler(options)` is a `(request: Request) => Promise<Response>`
 * for Hono, Next.js route handlers, Bun.serve, Deno.serve and Cloudflare Workers; `createFetchTokenRoute` serves a
 * route of your own shape; `createFetchWebhookHandler` receives a provider's webhooks. No Node API: it runs wherever
 * `Request` and `Response` do.
 *
 * @packageDocumentation
 */
export { createFetchHandler, createFetchTokenRoute, type FetchHandler, type FetchRouteRequest, type FetchTokenRoute } from './handler'
export type { FetchBindingOptions, FetchCallTokenOptions } from './options'
export { createFetchWebhookHandler, type FetchWebhookOptions } from './webhook'
export type { RouteParams } from './path'
export {
  bearerJwt,
  ISSUE_FOR_OTHERS,
  openApiDocument,
  type AuthorizeContext,
  type AuthorizeResult,
  type BearerJwtOptions,
  type CallTokenRouteOptions,
  type Principal,
  type RateLimitStore,
  type TokenIssuedEvent,
} from '@calltoken/core/http'
export { CallTokenError, isCallTokenError, verifyWebhook, type WebhookEvent } from '@calltoken/core'
