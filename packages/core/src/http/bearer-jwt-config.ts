import { configError } from '../errors'

/**
 * Options of {@link bearerJwt}. Exactly one of `secret` or `jwksUrl`.
 *
 * @example
 * // Your own session JWTs (HS256):
 * bearerJwt({ secret: process.env.SESSION_JWT_SECRET!, issuer: 'https://app.example.com' })
 * // An identity provider's (RS256, ES256…): issuer and audience are required.
 * bearerJwt({
 *   jwksUrl: 'https://example.eu.auth0.com/.well-known/jwks.json',
 *   issuer: 'https://example.eu.auth0.com/',
 *   audience: 'https://api.example.com',
 * })
 */
export interface BearerJwtOptions {
  /** HMAC secret of your own session JWTs, at least 16 characters. */
  secret?: string
  /** Or the JWKS endpoint of your identity provider (Auth0, Cognito, Keycloak…), http(s). */
  jwksUrl?: string | URL
  /**
   * The accepted `iss` (one or a list); the claim is then required. Required with `jwksUrl`, optional with `secret`.
   * `false`: accept tokens of any issuer of this identity provider — only if the JWKS is yours alone.
   */
  issuer?: string | readonly string[] | false
  /**
   * The accepted `aud` (one or a list; the token needs one of them); the claim is then required. Required with
   * `jwksUrl`, optional with `secret`.
   * `false`: accept tokens of any audience of this identity provider — only if the JWKS is yours alone.
   */
  audience?: string | readonly string[] | false
  /** The claim holding the user id (a non-empty string or a number). Default 'sub'. */
  userIdClaim?: string
  /** The claim holding the user's roles (string or string[]). Default 'roles'. */
  rolesClaim?: string
  /**
   * Accepted algorithms. With `secret` only HS256, HS384, HS512 (default ['HS256']); with `jwksUrl` only
   * RS256/384/512, PS256/384/512, ES256/384/512, EdDSA, Ed25519 (default: all of those). Never 'none'.
   */
  algorithms?: readonly string[]
  /** Seconds of clock difference tolerated on `exp`, `nbf` and `iat`. Default 5. */
  clockToleranceSeconds?: number
  /** How long to wait for the JWKS endpoint before answering 503 AUTH_UNAVAILABLE. Default 5000. */
  jwksTimeoutMs?: number
  /** The current time in milliseconds, for tests. Default `Date.now`. */
  now?: () => number
  /**
   * Gets one line per refused token at `warn` (or `error` without `warn`) with `{ reason }`, and one at `error`
   * with `{ reason, cause }` when the identity provider's keys could not be fetched. Never the token.
   * Default: nothing is logged.
   */
  logger?: {
    warn?(details: Record<string, unknown>, message: string): void
    error(details: Record<string, unknown>, message: string): void
  }
}

/** The HMAC algorithms a `secret` may verify. */
export const SYMMETRIC_ALGORITHMS: readonly string[] = ['HS256', 'HS384', 'HS512']
/** The public-key algorithms a JWKS may verify; also the default list with `jwksUrl`. */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']

export type BearerJwtLogger = NonNullable<BearerJwtOptions['logger']>

/** The options once checked, with every default filled in. */
export interface BearerJwtConfig {
  readonly secret: string | undefined
  readonly jwksUrl: URL | undefined
  /** undefined: not checked (opted out with `false`, or omitted with a secret). */
  readonly issuer: string | string[] | undefined
  readonly audience: string | string[] | undefined
  readonly userIdClaim: string
  readonly rolesClaim: string
  readonly algorithms: readonly string[]
  readonly clockToleranceSeconds: number
  readonly jwksTimeoutMs: number
  readonly now: () => number
  readonly logger: BearerJwtLogger | undefined
}

/** Every option checked at creation, so a misconfiguration fails at start-up (INVALID_CONFIG), never per request. */
export function bearerJwtConfig(options: BearerJwtOptions): BearerJwtConfig {
  if (typeof options !== 'object' || options === null) throw configError('bearerJwt needs an options object')
  const { secret, jwksUrl } = options
  if ((secret === undefined) === (jwksUrl === undefined)) throw configError('bearerJwt needs exactly one of `secret` or `jwksUrl`')
  if (secret !== undefined && (typeof secret !== 'string' || secret.trim().length < 16)) {
    throw configError('bearerJwt: `secret` must be a string of at least 16 characters')
  }
  const url = jwksUrl === undefined ? undefined : parseJwksUrl(jwksUrl)
  const withJwks = url !== undefined

  const issuer = acceptedValues('issuer', options.issuer, withJwks)
  const audience = acceptedValues('audience', options.audience, withJwks)
  const userIdClaim = claimName('userIdClaim', options.userIdClaim ?? 'sub')
  const rolesClaim = claimName('rolesClaim', options.rolesClaim ?? 'roles')
  const algorithms = acceptedAlgorithms(options.algorithms, withJwks)

  const clockToleranceSeconds = options.clockToleranceSeconds ?? 5
  if (typeof clockToleranceSeconds !== 'number' || !Number.isFinite(clockToleranceSeconds) || clockToleranceSeconds < 0) {
    throw configError('bearerJwt: `clockToleranceSeconds` must be a finite number of seconds, 0 or more')
  }
  const jwksTimeoutMs = options.jwksTimeoutMs ?? 5000
  if (typeof jwksTimeoutMs !== 'number' || !Number.isFinite(jwksTimeoutMs) || jwksTimeoutMs <= 0) {
    throw configError('bearerJwt: `jwksTimeoutMs` must be a positive, finite number of milliseconds')
  }
  if (options.now !== undefined && typeof options.now !== 'function') throw configError('bearerJwt: `now` must be a function returning milliseconds')
  const { logger } = options
  if (logger !== undefined && (typeof logger !== 'object' || logger === null || typeof logger.error !== 'function')) {
    throw configError('bearerJwt: `logger` must have an `error(details, message)` method')
  }
  return {
    secret,
    jwksUrl: url,
    issuer,
    audience,
    userIdClaim,
    rolesClaim,
    algorithms,
    clockToleranceSeconds,
    jwksTimeoutMs: Math.ceil(jwksTimeoutMs),
    now: options.now ?? Date.now,
    logger,
  }
}

function parseJwksUrl(value: unknown): URL {
  if (typeof value !== 'string' && !(value instanceof URL)) throw configError('bearerJwt: `jwksUrl` must be a string or a URL')
  let url: URL
  try {
    url = new URL(value instanceof URL ? value.href : value)
  } catch {
    throw configError('bearerJwt: `jwksUrl` must be an absolute http(s) URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw configError('bearerJwt: `jwksUrl` must be an absolute http(s) URL')
  return url
}

/** issuer / audience: required with a JWKS unless `false`; a non-empty string or list of non-empty strings. */
function acceptedValues(name: 'issuer' | 'audience', value: unknown, required: boolean): string | string[] | undefined {
  if (value === false) return undefined
  if (value === undefined) {
    if (!required) return undefined
    throw configError(
      `bearerJwt: \`${name}\` is required with \`jwksUrl\` (an identity provider signs tokens for other apps too); ` +
        `pass \`${name}: false\` only if the JWKS is yours alone`,
    )
  }
  if (typeof value === 'string' && value !== '') return value
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v !== '')) return [...(value as string[])]
  throw configError(`bearerJwt: \`${name}\` must be a non-empty string, a non-empty list of them, or false`)
}

function claimName(name: 'userIdClaim' | 'rolesClaim', value: unknown): string {
  if (typeof value !== 'string' || value === '') throw configError(`bearerJwt: \`${name}\` must be a non-empty string`)
  return value
}

function acceptedAlgorithms(value: unknown, withJwks: boolean): readonly string[] {
  const allowed = withJwks ? ASYMMETRIC_ALGORITHMS : SYMMETRIC_ALGORITHMS
  if (value === undefined) return withJwks ? ASYMMETRIC_ALGORITHMS : ['HS256']
  if (!Array.isArray(value) || value.length === 0) throw configError('bearerJwt: `algorithms` must be a non-empty list')
  for (const alg of value as unknown[]) {
    if (typeof alg !== 'string' || (!SYMMETRIC_ALGORITHMS.includes(alg) && !ASYMMETRIC_ALGORITHMS.includes(alg))) {
      throw configError(`bearerJwt: \`algorithms\` may only list ${[...SYMMETRIC_ALGORITHMS, ...ASYMMETRIC_ALGORITHMS].join(', ')}`)
    }
    if (!allowed.includes(alg)) {
      throw configError(
        withJwks
          ? 'bearerJwt: with `jwksUrl`, `algorithms` may only list public-key algorithms (RS*, PS*, ES*, EdDSA, Ed25519)'
          : 'bearerJwt: with `secret`, `algorithms` may only list HS256, HS384 and HS512',
      )
    }
  }
  return [...new Set(value as string[])]
}
