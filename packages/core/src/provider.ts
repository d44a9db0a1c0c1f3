import { createHmac } from 'node:crypto'
import { CallTokenError, configError, isCallTokenError, type CallTokenIssue } from './errors'
import type { Capability } from './policy'
import type { IdentifierRule } from './identifiers'
import type { CallTokenRequest } from './input'

/** What core hands an adapter: already validated and normalised, every time in integer seconds. */
export interface TokenClaims {
  readonly kind: 'user' | 'call'
  readonly userId: string
  readonly callId?: string
  readonly callType?: string
  /** The policy role (call tokens only). */
  readonly role?: string
  /** The role in the provider's own vocabulary, from the adapter's `mapRole`. */
  readonly providerRole?: string
  /** Issue time, backdated by the policy's clock skew (less when that would push expiresAt − issuedAt past the provider's maximum). */
  readonly issuedAt: number
  /** Expiry: the real issue time + validityInSeconds. */
  readonly expiresAt: number
  readonly validityInSeconds: number
}

/** A token read back into provider-neutral claims. */
export interface DecodedToken {
  readonly provider: string
  readonly userId: string
  readonly callId?: string
  readonly callType?: string
  readonly providerRole?: string
  /** Seconds since the epoch. */
  readonly issuedAt: number
  readonly expiresAt: number
  /** The provider's own claims, as found in the token. */
  readonly claims: Readonly<Record<string, unknown>>
}

export interface SignedToken<Connect> {
  readonly token: string
  /** What the client SDK needs to connect with this token (never a secret). */
  readonly connect: Connect
}

export interface ProviderLimits {
  readonly minValiditySeconds: number
  readonly maxValiditySeconds: number
  readonly userId: IdentifierRule
  readonly callId: IdentifierRule
  /** Rules for call types, or false when the provider has none (then callType is rejected). */
  readonly callType: IdentifierRule | false
}

type MaybePromise<T> = T | Promise<T>

/** What an adapter implements; `defineProvider` turns it into a provider core can use. */
export interface ProviderDefinition<Id extends string, Connect> {
  readonly id: Id
  readonly limits: Partial<ProviderLimits> & Pick<ProviderLimits, 'userId' | 'callId'>
  /** Credentials to scrub from any error text that passes through core. */
  readonly secrets: readonly string[]
  /** Cross-field rules beyond the identifier rules, merged into core's validation. */
  validateInput?(input: CallTokenRequest): readonly CallTokenIssue[]
  /** The provider's name for a policy role, or undefined when it has none. */
  mapRole(role: string, capabilities: ReadonlySet<Capability>): string | undefined
  signUser(claims: TokenClaims): MaybePromise<SignedToken<Connect>>
  signCall(claims: TokenClaims): MaybePromise<SignedToken<Connect>>
  /** Parses a token without checking it; throws ERR_CALLTOKEN_INVALID_TOKEN when it is not one of this provider's. */
  decode(token: string): DecodedToken
  /** Parses a token and checks its signature (not its expiry, which core checks). */
  verifySignature(token: string): DecodedToken
}

export interface VerifyOptions {
  /** Clock in milliseconds. Default Date.now. */
  now?: () => number
}

export interface CallTokenProvider<Id extends string = string, Connect = unknown> {
  readonly id: Id
  readonly limits: ProviderLimits
  validateInput(input: CallTokenRequest): readonly CallTokenIssue[]
  mapRole(role: string, capabilities: ReadonlySet<Capability>): string | undefined
  signUser(claims: TokenClaims): Promise<SignedToken<Connect>>
  signCall(claims: TokenClaims): Promise<SignedToken<Connect>>
  decode(token: string): DecodedToken
  /** Signature and expiry: ERR_CALLTOKEN_INVALID_TOKEN or ERR_CALLTOKEN_TOKEN_EXPIRED when either fails. */
  verify(token: string, options?: VerifyOptions): DecodedToken
  /** Replaces every credential of this provider in `text` with [redacted]. */
  redact(text: string): string
}

const PROVIDER = Symbol.for('calltoken.provider')
// Registry-wide, so a provider made by one copy of core (ESM) still works with another (CJS).
const DERIVE_KEY = Symbol.for('calltoken.provider.derive-key')

export function defineProvider<Id extends string, Connect>(definition: ProviderDefinition<Id, Connect>): CallTokenProvider<Id, Connect> {
  const { id, limits, secrets } = definition
  const redact = (text: string) =>
    secrets.reduce((out, secret) => (secret.length > 0 ? out.split(secret).join('[redacted]') : out), text)

  // Signing errors leave core as PROVIDER_FAILED with the credentials scrubbed from the message.
  const providerError = (error: unknown): unknown => {
    if (isCallTokenError(error)) return error
    const detail = redact(error instanceof Error ? error.message : String(error))
    return new CallTokenError('ERR_CALLTOKEN_PROVIDER_FAILED', `${id} could not sign the token`, { cause: new Error(detail) })
  }
  // Not an async function: a synchronous signer (all of ours) then costs one resolved promise, not two.
  const guard = <T>(sign: () => MaybePromise<T>): Promise<T> => {
    try {
      const signed = sign()
      return signed instanceof Promise ? signed.catch((error: unknown) => Promise.reject(providerError(error))) : Promise.resolve(signed)
    } catch (error) {
      return Promise.reject(providerError(error))
    }
  }

  const provider: CallTokenProvider<Id, Connect> = {
    id,
    limits: Object.freeze({
      minValiditySeconds: limits.minValiditySeconds ?? 1,
      maxValiditySeconds: limits.maxValiditySeconds ?? Number.MAX_SAFE_INTEGER,
      userId: limits.userId,
      callId: limits.callId,
      callType: limits.callType ?? false,
    }),
    validateInput: (input) => definition.validateInput?.(input) ?? [],
    mapRole: (role, capabilities) => definition.mapRole(role, capabilities),
    signUser: (claims) => guard(() => definition.signUser(claims)),
    signCall: (claims) => guard(() => definition.signCall(claims)),
    decode: (token) => definition.decode(token),
    verify(token, { now = Date.now } = {}) {
      const decoded = definition.verifySignature(token)
      if (decoded.expiresAt * 1000 <= now()) {
        throw new CallTokenError('ERR_CALLTOKEN_TOKEN_EXPIRED', `The ${id} token expired at ${new Date(decoded.expiresAt * 1000).toISOString()}`)
      }
      return decoded
    },
    redact,
  }
  Object.defineProperty(provider, PROVIDER, { value: true })
  // A key for one purpose (e.g. signing refresh tokens) derived from the credentials: HMAC-SHA256 is a PRF, so the
  // derived key reveals nothing about them, and every instance with the same credentials derives the same key.
  const material = secrets.join('\u0000')
  Object.defineProperty(provider, DERIVE_KEY, {
    value: (purpose: string) => (material === '' ? undefined : createHmac('sha256', material).update(`calltoken/${id}/${purpose}`).digest()),
  })
  return Object.freeze(provider)
}

export function assertProvider(provider: unknown): asserts provider is CallTokenProvider {
  if ((provider as Record<symbol, unknown> | undefined)?.[PROVIDER] !== true) {
    throw configError('options.provider must be a calltoken provider, e.g. stream({ apiKey, apiSecret })')
  }
}

/** A key for `purpose` derived from the provider's credentials, or undefined when it has none. */
export function derivedProviderKey(provider: CallTokenProvider, purpose: string): Uint8Array | undefined {
  const derive = (provider as unknown as Record<symbol, ((purpose: string) => Uint8Array | undefined) | undefined>)[DERIVE_KEY]
  return derive?.(purpose)
}

export function invalidToken(providerId: string, reason: string): CallTokenError {
  return new CallTokenError('ERR_CALLTOKEN_INVALID_TOKEN', `Not a valid ${providerId} token: ${reason}`)
}
