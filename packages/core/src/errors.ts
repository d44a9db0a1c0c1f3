/**
 * Every error code calltoken throws, with the HTTP status a server should answer with.
 *
 * @example
 * res.status(ERROR_STATUS[error.code]).json({ error: error.message, code: error.code }) // the same as error.status
 */
export const ERROR_STATUS = {
  ERR_CALLTOKEN_INVALID_INPUT: 422,
  ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE: 422,
  ERR_CALLTOKEN_MALFORMED_BODY: 400,
  ERR_CALLTOKEN_UNSUPPORTED_MEDIA_TYPE: 415,
  ERR_CALLTOKEN_BODY_TOO_LARGE: 413,
  ERR_CALLTOKEN_NOT_FOUND: 404,
  ERR_CALLTOKEN_UNAUTHENTICATED: 401,
  ERR_CALLTOKEN_INVALID_TOKEN: 401,
  ERR_CALLTOKEN_TOKEN_EXPIRED: 401,
  ERR_CALLTOKEN_INVALID_SIGNATURE: 401,
  ERR_CALLTOKEN_FORBIDDEN: 403,
  ERR_CALLTOKEN_ROLE_NOT_ALLOWED: 403,
  ERR_CALLTOKEN_RATE_LIMITED: 429,
  ERR_CALLTOKEN_INVALID_CONFIG: 500,
  ERR_CALLTOKEN_PROVIDER_FAILED: 500,
  ERR_CALLTOKEN_AUTH_UNAVAILABLE: 503,
  ERR_CALLTOKEN_RATE_LIMIT_UNAVAILABLE: 503,
} as const

export type CallTokenErrorCode = keyof typeof ERROR_STATUS

/** One problem with one field of the input, e.g. `{ path: 'callId', message: 'callId is required' }`. */
export interface CallTokenIssue {
  readonly path: string
  readonly message: string
}

export interface CallTokenErrorOptions {
  /**
   * Field-level problems, e.g. `[{ path: "callId", message: "callId is required" }]`.
   */
  issues?: readonly CallTokenIssue[]
  /**
   * The underlying error (never holding a credential), as in `Error`’s own `cause`.
   */
  cause?: unknown
}

// A registry-wide symbol so the brand survives two copies of core (CJS + ESM) in one process.
const BRAND = Symbol.for('calltoken.error')

/**
 * @example
 * try {
 *   await createCallToken({ userId: 'alice', callId: 'standup', role: 'owner' }, { provider })
 * } catch (error) {
 *   if (!isCallTokenError(error)) throw error
 *   error.code   // 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED'
 *   error.status // 403
 *   error.issues // [{ path: 'role', message: 'role "owner" is not allowed; allowed roles: admin, moderator, member' }]
 * }
 */
export class CallTokenError extends Error {
  readonly code: CallTokenErrorCode
  /** The HTTP status a server should answer with: always `ERROR_STATUS[code]`, one status per code. */
  readonly status: number
  /** Field-level problems, present for validation errors. */
  readonly issues?: readonly CallTokenIssue[]

  constructor(code: CallTokenErrorCode, message: string, options: CallTokenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'CallTokenError'
    this.code = code
    this.status = ERROR_STATUS[code]
    if (options.issues) this.issues = Object.freeze([...options.issues])
    Object.defineProperty(this, BRAND, { value: true })
  }
}

/**
 * True for a CallTokenError from any loaded copy of @calltoken/core.
 *
 * @example
 * app.use((error, req, res, next) => {
 *   if (isCallTokenError(error)) return res.status(error.status).json({ error: error.message, code: error.code })
 *   next(error)
 * })
 */
export function isCallTokenError(error: unknown): error is CallTokenError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true
}

// Every error calltoken raises is built by one of the functions below, so its code, status and wording stay in one place.

/**
 * `Validation failed: a; b` with the issues attached (INVALID_INPUT, 422, unless another code is given).
 *
 * @example
 * throw validationError([{ path: 'callId', message: 'callId is required' }])
 */
export function validationError(
  issues: readonly CallTokenIssue[],
  code: CallTokenErrorCode = 'ERR_CALLTOKEN_INVALID_INPUT',
): CallTokenError {
  return new CallTokenError(code, `Validation failed: ${issues.map((i) => i.message).join('; ')}`, { issues })
}

/**
 * INVALID_CONFIG (500): the server is set up wrongly. The message says what to change and never holds a credential.
 *
 * @example
 * throw configError('acme: apiKey is required (usually from ACME_API_KEY)')
 */
export function configError(message: string, cause?: unknown): CallTokenError {
  return new CallTokenError('ERR_CALLTOKEN_INVALID_CONFIG', message, { cause })
}

/**
 * INVALID_TOKEN (401): `Not a valid <provider> token: <reason>`.
 *
 * @example
 * if (payload.iss !== apiKey) throw invalidToken('acme', 'it was issued for another API key')
 */
export function invalidToken(providerId: string, reason: string): CallTokenError {
  return new CallTokenError('ERR_CALLTOKEN_INVALID_TOKEN', `Not a valid ${providerId} token: ${reason}`)
}

/** INVALID_TOKEN (401) for a string that is not a well-formed, correctly signed JWT. */
export function invalidJwt(reason: string): CallTokenError {
  return new CallTokenError('ERR_CALLTOKEN_INVALID_TOKEN', `Not a valid JWT: ${reason}`)
}

/**
 * INVALID_SIGNATURE (401): a webhook delivery that is not provably the provider's. `<provider> webhook: <reason>`;
 * the reason says what was wrong and never holds the signature or the secret.
 *
 * @example
 * if (signature === undefined) throw invalidSignature('acme', 'the X-Acme-Signature header is missing')
 */
export function invalidSignature(providerId: string, reason: string): CallTokenError {
  return new CallTokenError('ERR_CALLTOKEN_INVALID_SIGNATURE', `${providerId} webhook: ${reason}`)
}

/** TOKEN_EXPIRED (401). */
export function tokenExpired(message: string): CallTokenError {
  return new CallTokenError('ERR_CALLTOKEN_TOKEN_EXPIRED', message)
}

/** PROVIDER_FAILED (500): the adapter threw while signing; `detail` must already be free of credentials. */
export function providerFailed(providerId: string, detail: string): CallTokenError {
  return new CallTokenError('ERR_CALLTOKEN_PROVIDER_FAILED', `${providerId} could not sign the token`, { cause: new Error(detail) })
}

/** UNAUTHENTICATED (401): no credentials were presented. */
export function unauthenticated(): CallTokenError {
  return new CallTokenError('ERR_CALLTOKEN_UNAUTHENTICATED', 'Authentication required')
}

/** FORBIDDEN (403): `Forbidden: <reason>`. */
export function forbidden(reason: string): CallTokenError {
  return new CallTokenError('ERR_CALLTOKEN_FORBIDDEN', `Forbidden: ${reason}`)
}

/** ROLE_NOT_ALLOWED (403) with the issue on `role`: `role "<role>" <why>`. */
export function roleNotAllowed(role: string, why: string): CallTokenError {
  const message = `role "${role}" ${why}`
  return new CallTokenError('ERR_CALLTOKEN_ROLE_NOT_ALLOWED', message, { issues: [{ path: 'role', message }] })
}

/** MALFORMED_BODY (400). */
export function malformedBody(message: string): CallTokenError {
  return new CallTokenError('ERR_CALLTOKEN_MALFORMED_BODY', message)
}

/** UNSUPPORTED_MEDIA_TYPE (415). */
export function unsupportedMediaType(): CallTokenError {
  return new CallTokenError('ERR_CALLTOKEN_UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json')
}

/** UNSUPPORTED_MEDIA_TYPE (415) for a compressed body: token requests are a few hundred bytes, sent as they are. */
export function unsupportedEncoding(): CallTokenError {
  return new CallTokenError('ERR_CALLTOKEN_UNSUPPORTED_MEDIA_TYPE', 'Content-Encoding must be identity (or absent): send the JSON body uncompressed')
}

/**
 * BODY_TOO_LARGE (413) for a body over `limitBytes`.
 *
 * @example
 * if (received > BODY_LIMIT_BYTES) return handler.errorResponse(bodyTooLarge(BODY_LIMIT_BYTES)) // 413
 */
export function bodyTooLarge(limitBytes: number): CallTokenError {
  return new CallTokenError('ERR_CALLTOKEN_BODY_TOO_LARGE', `Request body is larger than ${limitBytes} bytes`)
}

/** RATE_LIMITED (429); the wait itself is in the Retry-After header. */
export function rateLimited(): CallTokenError {
  return new CallTokenError('ERR_CALLTOKEN_RATE_LIMITED', 'Too many token requests; retry after the number of seconds in Retry-After')
}

/** RATE_LIMIT_UNAVAILABLE (503): the rate-limit store did not answer in time, and the routes fail closed. */
export function rateLimitUnavailable(): CallTokenError {
  return new CallTokenError('ERR_CALLTOKEN_RATE_LIMIT_UNAVAILABLE', 'Token requests cannot be counted right now (the rate-limit store is not answering); retry after the number of seconds in Retry-After')
}

/** AUTH_UNAVAILABLE (503): the credentials may be fine, but there is nothing to check them with right now. */
export function authUnavailable(message: string, cause?: unknown): CallTokenError {
  return new CallTokenError('ERR_CALLTOKEN_AUTH_UNAVAILABLE', message, { cause })
}

// A registry-wide symbol, so the reason survives two copies of core (CJS + ESM) in one process.
const REFUSAL_REASON = Symbol.for('calltoken.authentication-failed')

/**
 * A 401 for credentials that were presented but refused (expired, wrongly signed, wrong issuer…), as opposed to
 * none at all. The token routes answer it with RFC 6750's
 * `WWW-Authenticate: Bearer error="invalid_token", error_description="…"`, so the client can tell why.
 * Throw it from your own `authenticate`; never put the credential itself in `description`.
 *
 * @example
 * authenticate: async (req) => {
 *   const session = await sessions.find(req.headers.authorization)
 *   if (session?.revoked) throw authenticationFailed('The session was revoked')
 *   return session ? { userId: session.userId } : null
 * }
 */
export function authenticationFailed(description: string): CallTokenError {
  const error = new CallTokenError('ERR_CALLTOKEN_UNAUTHENTICATED', `Authentication failed: ${description}`)
  Object.defineProperty(error, REFUSAL_REASON, { value: description })
  return error
}

/** The `description` of an `authenticationFailed` error, or undefined for any other error. */
export function refusalReason(error: CallTokenError): string | undefined {
  const reason = (error as unknown as Record<symbol, unknown>)[REFUSAL_REASON]
  return typeof reason === 'string' ? reason : undefined
}
