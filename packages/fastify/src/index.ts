export { callTokenRoutes, type FastifyCallTokenRouteOptions } from './routes'
export { fastifyCallToken } from './decorator'
export { bearerJwt, openApiDocument, type AuthorizeResult, type Principal } from '@calltoken/core/http'
export { CallTokenError, isCallTokenError } from '@calltoken/core'
