import { hmacSha256Once } from '#crypto'
import type { MaybePromise } from './types'

/**
 * HMAC-SHA256 of `data` under `key` (text is UTF-8): synchronous on Node and Bun (node:crypto), a promise on Web
 * Crypto. For a key used many times, prefer `createHs256Jwt`, which imports its key once.
 *
 * @example
 * const mac = await hmacSha256(appCertificate, signingInfo) // 32 bytes
 */
export function hmacSha256(key: string | Uint8Array, data: string | Uint8Array): MaybePromise<Uint8Array> {
  return hmacSha256Once(key, data)
}
