export { createCallTokenRouter, type ExpressCallTokenOptions } from './router'
export { bearerJwt, openApiDocument, type AuthorizeResult, type Principal } from '@calltoken/core/http'
export { CallTokenError, isCallTokenError } from '@calltoken/core'
