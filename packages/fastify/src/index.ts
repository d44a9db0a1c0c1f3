export { callTokenRoutes, tokenRoute, type FastifyCallTokenRouteOptions, type FastifyTokenRoute } from './routes'
export { fastifyCallToken } from './decorator'
export { webhookRoute, type FastifyWebhookOptions } from './webhook'
export type { CallTokenRegister, RegisteredProvider } from './register'
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
