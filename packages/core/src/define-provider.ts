import { hmacSha256 } from '#crypto'
import { configError, isCallTokenError, providerFailed, tokenExpired } from './errors'
import type { CallTokenProvider, MaybePromise, ProviderDefinition, ProviderTypes } from './types'
import type { WebhookDefinition } from './webhook/types'

const PROVIDER = Symbol.for('calltoken.provider')
// Registry-wide, so a provider made by one copy of core (ESM) still works with another (CJS).
const DERIVE_KEY = Symbol.for('calltoken.provider.derive-key')
const WEBHOOK = Symbol.for('calltoken.provider.webhook')

/**
 * Turns an adapter's definition into a provider: signing errors leave as PROVIDER_FAILED with the credentials
 * scrubbed, `verify` adds the expiry check, and the limits get their defaults (validity 1 s..unbounded, no call types).
 *
 * @example
 * export function acme(options: AcmeOptions): CallTokenProvider<'acme', AcmeTypes> {
 *   const jwt = createHs256Jwt(options.apiSecret, { typ: 'JWT' })
 *   return defineProvider<'acme', AcmeTypes>({
 *     id: 'acme',
 *     limits: { userId: { pattern: /^[\w-]+$/, maxLength: 64 }, callId: { maxLength: 64 } },
 *     secrets: [options.apiSecret],
 *     mapRole: (role) => role,
 *     sign: async (claims) => ({ token: await jwt.sign({ sub: claims.userId, exp: claims.expiresAt }), connect: { apiKey: options.apiKey } }),
 *     decode: (token) => neutral(decodeJwt(token)),
 *     verifySignature: async (token) => neutral(await jwt.verify(token)),
 *   })
 * }
 */
export function defineProvider<Id extends string, Types extends ProviderTypes>(definition: ProviderDefinition<Id, Types>): CallTokenProvider<Id, Types> {
  const { id, limits, secrets } = definition
  const redact = (text: string) =>
    secrets.reduce((out, secret) => (secret.length > 0 ? out.split(secret).join('[redacted]') : out), text)

  // Signing errors leave core as PROVIDER_FAILED with the credentials scrubbed from the message.
  const providerError = (error: unknown): unknown => {
    if (isCallTokenError(error)) return error
    return providerFailed(id, redact(error instanceof Error ? error.message : String(error)))
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

  const provider: CallTokenProvider<Id, Types> = {
    id,
    limits: Object.freeze({
      minValiditySeconds: limits.minValiditySeconds ?? 1,
      maxValiditySeconds: limits.maxValiditySeconds ?? Number.MAX_SAFE_INTEGER,
      userId: limits.userId,
      callId: limits.callId,
      callType: limits.callType ?? false,
      userTokenNeedsCall: limits.userTokenNeedsCall ?? false,
      maxCallsPerToken: limits.maxCallsPerToken ?? 1,
      extras: Object.freeze([...(limits.extras ?? [])]),
    }),
    validateInput: (input) => definition.validateInput?.(input) ?? [],
    mapRole: (role, capabilities) => definition.mapRole(role, capabilities),
    sign: (claims) => guard(() => definition.sign(claims)),
    decode: (token) => definition.decode(token),
    async verify(token, { now = Date.now } = {}) {
      const decoded = await definition.verifySignature(token)
      if (decoded.expiresAt * 1000 <= now()) {
        throw tokenExpired(`The ${id} token expired at ${new Date(decoded.expiresAt * 1000).toISOString()}`)
      }
      return decoded
    },
    redact,
  }
  Object.defineProperty(provider, PROVIDER, { value: true })
  if (definition.webhook) Object.defineProperty(provider, WEBHOOK, { value: definition.webhook })
  // A key for one purpose (e.g. signing refresh tokens) derived from the credentials: HMAC-SHA256 is a PRF, so the
  // derived key reveals nothing about them, and every instance with the same credentials derives the same key.
  const material = secrets.join('\u0000')
  Object.defineProperty(provider, DERIVE_KEY, {
    value: (purpose: string) => (material === '' ? undefined : hmacSha256(material).bytes(`calltoken/${id}/${purpose}`)),
  })
  return Object.freeze(provider)
}

export function assertProvider(provider: unknown): asserts provider is CallTokenProvider {
  if ((provider as Record<symbol, unknown> | undefined)?.[PROVIDER] !== true) {
    throw configError('options.provider must be a calltoken provider, e.g. stream({ apiKey, apiSecret })')
  }
}

/** A key for `purpose` derived from the provider's credentials (a promise on Web Crypto), or undefined when it has none. */
export function derivedProviderKey(provider: CallTokenProvider, purpose: string): MaybePromise<Uint8Array> | undefined {
  const derive = (provider as unknown as Record<symbol, ((purpose: string) => MaybePromise<Uint8Array> | undefined) | undefined>)[DERIVE_KEY]
  return derive?.(purpose)
}

/**
 * A provider's webhook rules, or undefined when it has none: to build a provider of your own around an adapter's
 * (a test double, a decorator) that verifies webhooks as the adapter does.
 *
 * @example
 * const wrapped = defineProvider({ ...definitionParts, webhook: webhookOf(stream({ apiKey, apiSecret })) })
 */
export function webhookOf(provider: CallTokenProvider): WebhookDefinition | undefined {
  return (provider as unknown as Record<symbol, WebhookDefinition | undefined>)[WEBHOOK]
}
