import { hmacSha1Once, sha256 as sha256Digest } from '#crypto'
import type { MaybePromise } from './types'

/**
 * HMAC-SHA1 of `data` under `key` (text is UTF-8), for the webhook signatures that still use it (Twilio, Agora's v1):
 * synchronous on Node and Bun, a promise on Web Crypto. Never sign a token with it.
 *
 * @example
 * const expected = base64FromBytes(await hmacSha1(authToken, url + sortedParams))
 */
export function hmacSha1(key: string | Uint8Array, data: string | Uint8Array): MaybePromise<Uint8Array> {
  return hmacSha1Once(key, data)
}

/**
 * SHA-256 of `data` (text is UTF-8): synchronous on Node and Bun, a promise on Web Crypto.
 *
 * @example
 * const bodyHash = base64FromBytes(await sha256(delivery.body)) // LiveKit's sha256 claim
 */
export function sha256(data: string | Uint8Array): MaybePromise<Uint8Array> {
  return sha256Digest(data)
}
