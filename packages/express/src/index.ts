export { createCallTokenRouter, createTokenRoute, type ExpressCallTokenOptions, type ExpressTokenRoute } from './router'
export { webhookHandler, type ExpressWebhookOptions } from './webhook'
export {
  bearerJwt,
  ISSUE_FOR_OTHERS,
  openApiDocument,
  type AuthorizeContext,
  type AuthorizeResult,
  type CallTokenRouteOptions,
  type Principal,
  type RequestWithHeaders,
  type TokenIssuedEvent,
} from '@calltoken/core/http'
export { CallTokenError, isCallTokenError, verifyWebhook, type WebhookEvent } from '@calltoken/core'
