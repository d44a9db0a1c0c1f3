/** Every error code calltoken throws, with the HTTP status a server should answer with. */
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
  ERR_CALLTOKEN_FORBIDDEN: 403,
  ERR_CALLTOKEN_ROLE_NOT_ALLOWED: 403,
  ERR_CALLTOKEN_RATE_LIMITED: 429,
  ERR_CALLTOKEN_INVALID_CONFIG: 500,
  ERR_CALLTOKEN_PROVIDER_FAILED: 500,
  ERR_CALLTOKEN_AUTH_UNAVAILABLE: 503,
} as const

export type CallTokenErrorCode = keyof typeof ERROR_STATUS

/** One problem with one field of the input, e.g. `{ path: 'callId', message: 'callId is required' }`. */
export interface CallTokenIssue {
  readonly path: string
  readonly message: string
}

export interface CallTokenErrorOptions {
  issues?: readonly CallTokenIssue[]
  cause?: unknown
}

// A registry-wide symbol so the brand survives two copies of core (CJS + ESM) in one process.
const BRAND = Symbol.for('calltoken.error')

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

/** True for a CallTokenError from any loaded copy of @calltoken/core. */
export function isCallTokenError(error: unknown): error is CallTokenError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true
}

/** `Validation failed: a; b` with the issues attached. */
export function validationError(
  issues: readonly CallTokenIssue[],
  code: CallTokenErrorCode = 'ERR_CALLTOKEN_INVALID_INPUT',
): CallTokenError {
  return new CallTokenError(code, `Validation failed: ${issues.map((i) => i.message).join('; ')}`, { issues })
}

export function configError(message: string): CallTokenError {
  return new CallTokenError('ERR_CALLTOKEN_INVALID_CONFIG', message)
}
