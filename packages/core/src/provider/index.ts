/**
 * Everything an adapter needs, and nothing an app does. An adapter is a factory that checks its options once and
 * returns `defineProvider({...})`:
 *
 * 1. **Options.** `readAdapterOptions(options, { provider, known, required })` refuses unknown keys (a misspelt
 *    `apiSecert` would otherwise be ignored) with the known ones listed; `readCredential(value, {...})` refuses a
 *    missing, placeholder, quoted or too-short credential, naming the option and never the value. Set `minLength` to
 *    the shortest value the provider issues. Any other problem: `configError(message)` (INVALID_CONFIG, 500).
 * 2. **Limits.** `limits` gives the provider's identifier rules (`userId`, `callId`, optional `callType`; without
 *    `callType` core rejects one) and its validity range (`minValiditySeconds`, `maxValiditySeconds`). Core
 *    validates every input against them before your code runs; `validateInput` adds cross-field rules. Token
 *    options of the provider's own go in `extras`: list their names in `limits.extras` (core refuses any other
 *    name) and check their values in `validateInput` (`request.extras`); declare their type as `extras` in your
 *    ProviderTypes. `limits.maxCallsPerToken` above 1 lets a call token name several calls (`callIds`).
 * 3. **Roles.** `mapRole(role, capabilities)` names the provider's role for a policy role, or returns undefined when
 *    there is none (then the service refuses that policy at start-up, so a role never silently grants nothing).
 * 4. **Signing.** `sign(claims)` gets `TokenClaims`, already normalised: `kind` ('user' or 'call'), `userId`,
 *    `callId`/`callType` when the token is for a call (`callIds` too when it is for several), `role`/`providerRole`
 *    on call tokens, `extras` when the input had any, and `issuedAt`,
 *    `expiresAt`, `validityInSeconds` as integer seconds. Never compute time in the adapter. Return
 *    `{ token, connect }`, where `connect` is what the client SDK needs besides the token (never a secret). For
 *    HS256 JWTs, `createHs256Jwt(secret, header)` signs and verifies with the key imported once; for other MACs,
 *    `hmacSha256(key, data)`. Both are synchronous on Node and Bun (node:crypto) and return promises elsewhere (Web
 *    Crypto): `sign` may return a promise, and `andThen(value, next)` chains either without costing Node a promise.
 *    Use no Node-only API (Buffer, node:crypto, zlib) in an adapter, so it runs on every runtime core does. A throw
 *    becomes PROVIDER_FAILED with every string of `secrets` scrubbed from its message.
 * 5. **Reading tokens.** `decode(token)` parses without checking (synchronously); `verifySignature(token)` checks
 *    the signature (core adds the expiry check) and may return a promise. Both give a `DecodedToken` and throw
 *    `invalidToken(id, reason)` for anything that is not this provider's token; `decodeJwt` parses a compact JWT,
 *    `constantTimeEqual` compares a signature.
 * 6. **Types.** Give `defineProvider` your `ProviderTypes` (the `connect` of each kind of token and whether calls
 *    have types), so `createCallToken` returns `connect` typed for a call.
 * 7. **Tests.** Run `runProviderConformance` from `@calltoken/test-kit` with an `oracle` that reads your tokens with
 *    the provider's official SDK or tool, not with your own decoder.
 *
 * @packageDocumentation
 *
 * @example
 * import { andThen, createHs256Jwt, decodeJwt, defineProvider, invalidToken, readAdapterOptions, readCredential } from '@calltoken/core/provider'
 * import type { CallTokenProvider, DecodedToken, JwtParts } from '@calltoken/core/provider'
 *
 * type AcmeTypes = {
 *   connect: { user: { apiKey: string }; userInCall: { apiKey: string; room: string }; call: { apiKey: string; room: string } }
 *   callType: false
 * }
 *
 * export function acme(options: { apiKey: string; apiSecret: string }): CallTokenProvider<'acme', AcmeTypes> {
 *   const record = readAdapterOptions(options, { provider: 'acme', known: ['apiKey', 'apiSecret'], required: ['apiKey', 'apiSecret'] })
 *   const source = 'the Acme console'
 *   const apiKey = readCredential(record.apiKey, { provider: 'acme', name: 'apiKey', envName: 'ACME_API_KEY', source })
 *   const apiSecret = readCredential(record.apiSecret, { provider: 'acme', name: 'apiSecret', envName: 'ACME_API_SECRET', source, minLength: 32 })
 *   const jwt = createHs256Jwt(apiSecret, { typ: 'JWT' })
 *   const neutral = ({ payload }: JwtParts): DecodedToken => {
 *     if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number' || typeof payload.iat !== 'number') throw invalidToken('acme', 'claims are missing')
 *     return { provider: 'acme', userId: payload.sub, issuedAt: payload.iat, expiresAt: payload.exp, claims: payload }
 *   }
 *   return defineProvider<'acme', AcmeTypes>({
 *     id: 'acme',
 *     limits: { maxValiditySeconds: 86_400, userId: { pattern: /^[\w-]+$/, allowed: 'letters, digits, _ and -', maxLength: 64 }, callId: { maxLength: 64 } },
 *     secrets: [apiSecret],
 *     mapRole: (role) => role,
 *     sign: (claims) =>
 *       andThen(jwt.sign({ sub: claims.userId, room: claims.callId, iat: claims.issuedAt, exp: claims.expiresAt }), (token) => ({
 *         token,
 *         connect: claims.callId === undefined ? { apiKey } : { apiKey, room: claims.callId },
 *       })),
 *     decode: (token) => neutral(decodeJwt(token)),
 *     verifySignature: (token) => andThen(jwt.verify(token), neutral),
 *   })
 * }
 */
export { readAdapterOptions, readCredential, type AdapterOptionsSpec, type CredentialOptions } from '../credentials'
export {
  CallTokenError,
  configError,
  invalidSignature,
  invalidToken,
  isCallTokenError,
  type CallTokenErrorCode,
  type CallTokenIssue,
} from '../errors'
export { createHs256Jwt, decodeJwt, type Hs256Jwt, type JwtParts } from '../hs256'
export { hmacSha256 } from '../hmac'
export { constantTimeEqual, constantTimeEqualBytes } from '../constant-time'
export { andThen } from '../maybe-promise'
export { utf8Length } from '../utf8-length'
export { readRoleMap } from '../role-map'
export { unpairedSurrogateProblem } from '../identifiers'
export type { Capability } from '../policy'
export { defineProvider, webhookOf } from '../define-provider'
export { extraChecks, extrasIssues, type ExtraCheck } from '../extras'
export { hmacSha1, sha256 } from '../digests'
export { base64FromBytes, bytesFromBase64, concatBytes, hexFromBytes } from '../webhook/encoding'
export { checkWebhookTimestamp, parseWebhookJson } from '../webhook/checks'
export { gunzipBounded, isGzip } from '../webhook/gunzip'
export type { WebhookContext, WebhookDefinition, WebhookDelivery, WebhookEvent } from '../webhook/types'
export type {
  AnyConnect,
  CallTokenClaims,
  CallTokenProvider,
  CallTokenRequest,
  DecodedToken,
  IdentifierRule,
  MaybePromise,
  ProviderDefinition,
  ProviderLimits,
  ProviderTypes,
  SignedToken,
  TokenClaims,
  TokenExtras,
  TokenKind,
  UserTokenClaims,
  VerifyOptions,
} from '../types'
