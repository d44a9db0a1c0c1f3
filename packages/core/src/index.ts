export { appointmentValidity, type AppointmentValidityOptions } from './appointment'
export { readAdapterOptions, readCredential, type AdapterOptionsSpec, type CredentialOptions } from './credentials'
export {
  CallTokenError,
  configError,
  ERROR_STATUS,
  isCallTokenError,
  validationError,
  type CallTokenErrorCode,
  type CallTokenErrorOptions,
  type CallTokenIssue,
} from './errors'
export { createHs256Jwt, decodeJwt, type Hs256Jwt, type JwtParts } from './hs256'
export { identifierProblem, type IdentifierRule } from './identifiers'
export type { CallTokenInput, CallTokenRequest, UserTokenInput } from './input'
export { DEFAULT_ROLES, definePolicy, type Capability, type Policy, type PolicyOptions } from './policy'
export {
  defineProvider,
  invalidToken,
  type CallTokenProvider,
  type DecodedToken,
  type ProviderDefinition,
  type ProviderLimits,
  type SignedToken,
  type TokenClaims,
  type VerifyOptions,
} from './provider'
export {
  createCallToken,
  createTokenService,
  createUserToken,
  type IssuedToken,
  type TokenOptions,
  type TokenService,
} from './service'
