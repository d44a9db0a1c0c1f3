import { authenticationFailed, configError, isCallTokenError, type CallTokenError } from '../errors'
import { bearerJwtConfig, type BearerJwtConfig, type BearerJwtOptions } from './bearer-jwt-config'
import { bearerCredentials, REFUSED, refusedHeader, type RefusalReason } from './bearer-jwt-header'
import { causeMessage, remoteKeys } from './bearer-jwt-keys'
import type { Principal } from './types'

/** Any request with headers: Express's and Fastify's (a record of lower-case names) or a fetch `Request` (`Headers`). */
export interface RequestWithHeaders {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>> | { get(name: string): string | null }
}

function authorizationOf({ headers }: RequestWithHeaders): string | readonly string[] | undefined {
  return typeof headers.get === 'function' ? ((headers as { get(name: string): string | null }).get('authorization') ?? undefined) : (headers as Record<string, string | readonly string[] | undefined>).authorization
}

type Jose = typeof import('jose')
type VerifyKey = Uint8Array | ReturnType<typeof remoteKeys>

/**
 * `authenticate` for the common case: `Authorization: Bearer <JWT>` verified with jose, strictly.
 *
 * - No `Authorization` header, or another scheme: null (→ 401 with `WWW-Authenticate: Bearer`).
 * - A presented token that is refused throws {@link authenticationFailed} (→ 401 with
 *   `WWW-Authenticate: Bearer error="invalid_token", error_description="The token expired"`, and the like):
 *   malformed, a wrong signature or key, an algorithm not accepted (never 'none', never an HMAC token against a
 *   JWKS nor a public-key one against a secret), no `exp`, expired, `nbf` or `iat` in the future (beyond
 *   `clockToleranceSeconds`), a wrong issuer or audience, no user id.
 * - The JWKS could not be fetched (down, non-200, not a key set, no answer within `jwksTimeoutMs`):
 *   AUTH_UNAVAILABLE (→ 503), not a 401.
 *
 * A bad option throws INVALID_CONFIG at creation. jose is loaded on the first request.
 *
 * @example
 * import { bearerJwt, createCallTokenRouter } from '@calltoken/express'
 *
 * app.use('/api', createCallTokenRouter({
 *   provider,
 *   authenticate: bearerJwt({
 *     jwksUrl: 'https://login.example.com/realms/app/protocol/openid-connect/certs',
 *     issuer: 'https://login.example.com/realms/app',
 *     audience: 'calltoken',
 *     logger, // pino, console…: one warn line per refused token
 *   }),
 * }))
 */
export function bearerJwt(options: BearerJwtOptions): ((req: RequestWithHeaders) => Promise<Principal | null>) & { readonly challenge: 'Bearer' } {
  const config = bearerJwtConfig(options)
  const { logger } = config

  // jose loads on the first authenticated request, keeping it off the start-up path of apps that mint only. It is an
  // optional peer dependency: only apps that use bearerJwt install it.
  let keyPromise: Promise<{ jose: Jose; key: VerifyKey }> | undefined
  const keyOnce = () =>
    (keyPromise ??= loadJose().then(
      (jose) => ({
        jose,
        key: config.secret !== undefined ? new TextEncoder().encode(config.secret) : remoteKeys(jose, config.jwksUrl!, config.jwksTimeoutMs),
      }),
      (error: unknown) => {
        keyPromise = undefined
        throw error
      },
    ))

  const refuse = (reason: RefusalReason): CallTokenError => {
    ;(logger?.warn ?? logger?.error)?.call(logger, { reason }, `bearerJwt refused a token: ${reason}`)
    return authenticationFailed(reason)
  }

  const authenticate = async (req: RequestWithHeaders): Promise<Principal | null> => {
    const credentials = bearerCredentials(authorizationOf(req))
    if (credentials === undefined) return null
    if ('refused' in credentials) throw refuse(credentials.refused)
    const { token } = credentials
    const refusedAlready = refusedHeader(token, config.algorithms)
    if (refusedAlready !== undefined) throw refuse(refusedAlready)

    const nowMs = config.now()
    if (typeof nowMs !== 'number' || !Number.isFinite(nowMs)) throw configError('bearerJwt: `now()` must return a finite number of milliseconds')
    const { jose, key } = await keyOnce()
    let payload: Record<string, unknown>
    try {
      payload = await verify(jose, token, key, config, new Date(nowMs))
    } catch (error) {
      if (isCallTokenError(error)) {
        // Only remoteKeys throws one here: AUTH_UNAVAILABLE.
        logger?.error({ reason: error.message, cause: causeMessage(error.cause) }, error.message)
        throw error
      }
      const reason = refusalOf(jose, error)
      if (reason === undefined) {
        // Not one of jose's refusals (a key of the JWKS jose will not use, say): refused all the same, never a 500.
        logger?.error({ reason: REFUSED.malformed, cause: causeMessage(error) }, 'bearerJwt could not verify a token')
        throw authenticationFailed(REFUSED.malformed)
      }
      throw refuse(reason)
    }
    // jose checks nbf and exp, and iat's type, but not an iat in the future.
    if (typeof payload.iat === 'number' && payload.iat > Math.floor(nowMs / 1000) + config.clockToleranceSeconds) throw refuse(REFUSED.notYetValid)

    const userId = payload[config.userIdClaim]
    if ((typeof userId !== 'string' || userId === '') && (typeof userId !== 'number' || !Number.isFinite(userId))) throw refuse(REFUSED.noUser)
    const roles = payload[config.rolesClaim]
    return {
      userId: String(userId),
      roles: typeof roles === 'string' ? [roles] : Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [],
    }
  }
  return Object.assign(authenticate, { challenge: 'Bearer' as const })
}

/** jwtVerify, trying each candidate when several keys of the JWKS match the token's header. */
async function verify(jose: Jose, token: string, key: VerifyKey, config: BearerJwtConfig, currentDate: Date): Promise<Record<string, unknown>> {
  const options = {
    ...(config.issuer === undefined ? {} : { issuer: config.issuer }),
    ...(config.audience === undefined ? {} : { audience: config.audience }),
    algorithms: [...config.algorithms],
    requiredClaims: ['exp'],
    clockTolerance: config.clockToleranceSeconds,
    currentDate,
  }
  try {
    return (await jose.jwtVerify(token, key as Uint8Array, options)).payload
  } catch (error) {
    if (!(error instanceof jose.errors.JWKSMultipleMatchingKeys)) throw error
    for await (const candidate of error) {
      try {
        return (await jose.jwtVerify(token, candidate, options)).payload
      } catch (next) {
        if (!(next instanceof jose.errors.JWSSignatureVerificationFailed)) throw next
      }
    }
    throw new jose.errors.JWSSignatureVerificationFailed()
  }
}

/** The description of one of jose's refusals, or undefined for anything else. */
function refusalOf(jose: Jose, error: unknown): RefusalReason | undefined {
  const { errors } = jose
  if (error instanceof errors.JWTExpired) return REFUSED.expired
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing' && error.claim === 'exp') return REFUSED.noExpiry
    if (error.claim === 'iss') return REFUSED.issuer
    if (error.claim === 'aud') return REFUSED.audience
    if (error.claim === 'nbf' && error.reason === 'check_failed') return REFUSED.notYetValid
    return REFUSED.malformed // a claim of the wrong type ("exp": "tomorrow")
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) return REFUSED.signature
  if (error instanceof errors.JOSEAlgNotAllowed) return REFUSED.algorithm
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) return REFUSED.malformed
  return undefined
}

/** jose, or an INVALID_CONFIG naming the package to install (and the next request tries again). */
async function loadJose(): Promise<Jose> {
  try {
    return await import('jose')
  } catch (cause) {
    throw configError('bearerJwt needs the jose package: npm install jose', cause)
  }
}
