import type { MaybePromise } from '@calltoken/core/provider'

/**
 * The value of a signer's result that must be synchronous, as node:crypto makes it on Node and Bun (Web Crypto
 * returns a promise): for tests that build tokens by hand on Node. Throws when it is a promise.
 *
 * @example
 * const token = synchronous(createHs256Jwt(apiSecret, { typ: 'JWT' }).sign({ sub: 'alice', exp }))
 */
export function synchronous<T>(value: MaybePromise<T>): T {
  if (value instanceof Promise) throw new Error('expected a synchronous result: on Node the signers use node:crypto, not Web Crypto')
  return value
}
