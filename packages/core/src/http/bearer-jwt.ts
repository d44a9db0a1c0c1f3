import { configError } from '../errors'
import type { Principal } from './types'

export interface BearerJwtOptions {
  /** HMAC secret of your own session JWTs (HS256 by default). */
  secret?: string
  /** Or a JWKS endpoint of your identity provider (Auth0, Cognito, Keycloak…). */
  jwksUrl?: string | URL
  issuer?: string | string[]
  audience?: string | string[]
  /** The claim holding the user id. Default 'sub'. */
  userIdClaim?: string
  /** The claim holding the user's roles (string or string[]). Default 'roles'. */
  rolesClaim?: string
  /** Accepted algorithms. Default ['HS256'] with a secret; the JWKS keys' own with jwksUrl. */
  algorithms?: string[]
  /** Seconds of clock difference tolerated on exp/nbf. Default 5. */
  clockToleranceSeconds?: number
}

/** What both Express's and Fastify's requests have. */
export interface RequestWithHeaders {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>
}

type Jose = typeof import('jose')

/**
 * `authenticate` for the common case: `Authorization: Bearer <JWT>` verified with jose.
 * A missing, malformed, expired or wrongly signed token gives null (→ 401).
 */
export function bearerJwt(options: BearerJwtOptions): ((req: RequestWithHeaders) => Promise<Principal | null>) & { readonly challenge: 'Bearer' } {
  const { secret, jwksUrl, issuer, audience, userIdClaim = 'sub', rolesClaim = 'roles', clockToleranceSeconds = 5 } = options
  if ((secret === undefined) === (jwksUrl === undefined)) throw configError('bearerJwt needs exactly one of `secret` or `jwksUrl`')
  if (secret !== undefined && secret.trim().length < 16) throw configError('bearerJwt: `secret` must be at least 16 characters')
  const algorithms = options.algorithms ?? (secret === undefined ? undefined : ['HS256'])

  // jose loads on the first authenticated request, keeping it off the start-up path of apps that mint only.
  let keyPromise: Promise<{ jose: Jose; key: Uint8Array | ReturnType<Jose['createRemoteJWKSet']> }> | undefined
  const keyOnce = () =>
    (keyPromise ??= import('jose').then((jose) => ({
      jose,
      key: secret !== undefined ? new TextEncoder().encode(secret) : jose.createRemoteJWKSet(new URL(jwksUrl!)),
    })))

  const authenticate = async (req: RequestWithHeaders): Promise<Principal | null> => {
    const token = bearerToken(req.headers.authorization)
    if (token === undefined) return null
    const { jose, key } = await keyOnce()
    let payload: Record<string, unknown>
    try {
      ;({ payload } = await jose.jwtVerify(token, key as Uint8Array, {
        ...(issuer === undefined ? {} : { issuer }),
        ...(audience === undefined ? {} : { audience }),
        ...(algorithms === undefined ? {} : { algorithms }),
        clockTolerance: clockToleranceSeconds,
      }))
    } catch (error) {
      if (error instanceof jose.errors.JOSEError && !(error instanceof jose.errors.JWKSTimeout)) return null
      throw error
    }
    const userId = payload[userIdClaim]
    if ((typeof userId !== 'string' || userId === '') && typeof userId !== 'number') return null
    const roles = payload[rolesClaim]
    return {
      userId: String(userId),
      roles: typeof roles === 'string' ? [roles] : Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [],
    }
  }
  return Object.assign(authenticate, { challenge: 'Bearer' as const })
}

function bearerToken(header: string | readonly string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : (header as string | undefined)
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(value ?? '')
  return match?.[1]
}
