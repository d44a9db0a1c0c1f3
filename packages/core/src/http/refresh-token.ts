import { CallTokenError, configError, isCallTokenError, tokenExpired } from '../errors'
import { base64urlFromBytes } from '#crypto'
import { createHs256Jwt, type Hs256Jwt } from '../hs256'
import { derivedProviderKey } from '../define-provider'
import { andThen } from '../maybe-promise'
import type { CallTokenProvider, IssuedToken, MaybePromise, TokenExtras } from '../types'

/** How the built-in routes let a client renew a token without asking for a new one. */
export interface RefreshOptions {
  /**
   * Signs the refresh tokens (at least 32 characters; a list to rotate: the first signs, all verify).
   * Default: a key derived from the provider's credentials, the same on every instance that has them.
   */
  readonly secret?: string | readonly string[]
  /** How long a chain of refreshes may last, from the first token, in seconds. Default 86 400 (24 h). */
  readonly sessionSeconds?: number
}

/** The scope a refresh token renews: what the original token was minted for, and until when. */
export interface RefreshScope {
  readonly kind: 'user' | 'call'
  readonly userId: string
  readonly callId?: string
  /** Every call of a token for several calls (then `callId` is absent). */
  readonly callIds?: readonly string[]
  readonly callType?: string
  /** The policy role (call tokens only): a provider token cannot always say it. */
  readonly role?: string
  readonly validityInSeconds: number
  /** The extras the token was minted with. */
  readonly extras?: TokenExtras
  /** Unix seconds after which no refresh is granted and no refreshed token is valid. */
  readonly sessionEndsAt: number
}

export interface RefreshTokens {
  readonly sessionSeconds: number
  /** A refresh token for `issued`, valid until the token itself expires. */
  issue(issued: IssuedToken, kind: 'user' | 'call', sessionEndsAt: number): MaybePromise<string>
  /** The scope of a refresh token; INVALID_TOKEN when it is not one of ours, TOKEN_EXPIRED once its token expired. */
  read(refreshToken: string, nowSeconds: number): Promise<RefreshScope>
}

export const DEFAULT_SESSION_SECONDS = 86_400
/** A refresh token is a few hundred bytes (more with large extras); anything longer is not one. */
export const REFRESH_TOKEN_MAX_LENGTH = 8192
const TYPE = 'calltoken-refresh+jwt'
const FORMAT = 1

/** Signs and reads refresh tokens: HS256 JWTs of their own type, bound to the provider, the scope and a deadline. */
export function createRefreshTokens(provider: CallTokenProvider, options: RefreshOptions = {}): RefreshTokens {
  const { sessionSeconds = DEFAULT_SESSION_SECONDS } = options
  if (!Number.isInteger(sessionSeconds) || sessionSeconds < 60 || sessionSeconds > 30 * 86_400) {
    throw configError('refresh.sessionSeconds must be a whole number of seconds from 60 to 2 592 000 (30 days)')
  }
  // A derived key is a promise on Web Crypto; the JWTs follow it.
  const jwts = andThen(keysOf(provider, options.secret), (keys) => keys.map((key) => createHs256Jwt(key, { typ: TYPE })))

  return {
    sessionSeconds,
    issue(issued, kind, sessionEndsAt) {
      return andThen(jwts, ([signer]) => signer!.sign({
        ctv: FORMAT,
        prv: provider.id,
        knd: kind,
        sub: issued.userId,
        // A token for several calls renews all of them; its callId is only the first.
        ...(issued.callIds !== undefined ? { cids: issued.callIds } : issued.callId === undefined ? {} : { cid: issued.callId }),
        ...(issued.callType === undefined ? {} : { cty: issued.callType }),
        ...(kind === 'call' && issued.role !== undefined ? { rol: issued.role } : {}),
        val: issued.validityInSeconds,
        ...(issued.extras === undefined ? {} : { ext: issued.extras }),
        sxp: sessionEndsAt,
        exp: Math.floor(issued.expiresAt.getTime() / 1000),
      }))
    },
    async read(refreshToken, nowSeconds) {
      const claims = await verified(await jwts, refreshToken)
      const scope = scopeOf(claims, provider.id)
      if (nowSeconds >= (claims.exp as number)) {
        throw tokenExpired('The refresh token expired with its token: ask for a new token')
      }
      return scope
    },
  }
}

function keysOf(provider: CallTokenProvider, secret: RefreshOptions['secret']): MaybePromise<string[]> {
  if (secret === undefined) {
    const derived = derivedProviderKey(provider, 'refresh-token')
    if (!derived) throw configError(`refresh: the ${provider.id} provider has no credentials to derive a key from; set refresh.secret`)
    // The key is the derived bytes' base64url text, so it is a key like any configured secret.
    return andThen(derived, (bytes) => [base64urlFromBytes(bytes)])
  }
  const secrets = typeof secret === 'string' ? [secret] : [...secret]
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s.length < 32)) {
    throw configError('refresh.secret must be a string of at least 32 characters, or a non-empty list of them')
  }
  return secrets
}

async function verified(jwts: readonly Hs256Jwt[], refreshToken: string): Promise<Record<string, unknown>> {
  if (typeof refreshToken !== 'string' || refreshToken.length > REFRESH_TOKEN_MAX_LENGTH) throw notOurs()
  for (const jwt of jwts) {
    try {
      const { header, payload } = await jwt.verify(refreshToken)
      if (header.typ !== TYPE) throw notOurs()
      return payload as Record<string, unknown>
    } catch (error) {
      if (!isCallTokenError(error)) throw error
    }
  }
  throw notOurs()
}

function scopeOf(claims: Record<string, unknown>, providerId: string): RefreshScope {
  const { ctv, prv, knd, sub, cid, cids, cty, rol, val, ext, sxp, exp } = claims
  const optionalString = (value: unknown) => value === undefined || typeof value === 'string'
  const wellFormed =
    ctv === FORMAT &&
    (knd === 'user' || knd === 'call') &&
    typeof sub === 'string' &&
    optionalString(cid) &&
    (cids === undefined || (Array.isArray(cids) && cids.every((id) => typeof id === 'string'))) &&
    (ext === undefined || (typeof ext === 'object' && ext !== null && !Array.isArray(ext))) &&
    optionalString(cty) &&
    optionalString(rol) &&
    Number.isInteger(val) &&
    Number.isInteger(sxp) &&
    Number.isInteger(exp)
  // Signed by us, so only a token of another version or another provider's routes (same secret) lands here.
  if (!wellFormed || prv !== providerId) throw notOurs()
  return {
    kind: knd,
    userId: sub,
    ...(cid === undefined ? {} : { callId: cid as string }),
    ...(cids === undefined ? {} : { callIds: cids as string[] }),
    ...(cty === undefined ? {} : { callType: cty as string }),
    ...(rol === undefined ? {} : { role: rol as string }),
    validityInSeconds: val as number,
    ...(ext === undefined ? {} : { extras: ext as TokenExtras }),
    sessionEndsAt: sxp as number,
  }
}

const notOurs = () => new CallTokenError('ERR_CALLTOKEN_INVALID_TOKEN', 'Not a valid refresh token')
