// What each crypto backend provides. Two files implement it: node.ts (node:crypto and Buffer, synchronous: the fast
// path on Node and Bun) and web.ts (Web Crypto, btoa/atob: everywhere else). package.json's "imports" map picks one
// for "#crypto" by condition, so a runtime or bundler loads only the file it can run.
import type { MaybePromise } from '../types'

/** HMAC-SHA256 under one key, imported once. */
export interface HmacSha256 {
  /** The MAC's 32 bytes. */
  bytes(data: string | Uint8Array): MaybePromise<Uint8Array>
  /** The MAC in unpadded base64url, as a JWS signature. */
  base64url(data: string): MaybePromise<string>
}

export interface CryptoBackend {
  /** A key of any length but zero (text is taken as UTF-8), for many MACs. */
  hmacSha256(key: string | Uint8Array): HmacSha256
  /** One MAC under a key used once. */
  hmacSha256Once(key: string | Uint8Array, data: string | Uint8Array): MaybePromise<Uint8Array>
  /** One HMAC-SHA1 (webhook signatures of Twilio and Agora's v1 only: never for signing tokens). */
  hmacSha1Once(key: string | Uint8Array, data: string | Uint8Array): MaybePromise<Uint8Array>
  /** SHA-256 of the data. */
  sha256(data: string | Uint8Array): MaybePromise<Uint8Array>
  /** UTF-8 text in unpadded base64url. */
  base64urlFromText(text: string): string
  /** Unpadded base64url of bytes. */
  base64urlFromBytes(bytes: Uint8Array): string
  /** The bytes of a base64url string the caller has checked against /^[A-Za-z0-9_-]*$/. */
  bytesFromBase64url(text: string): Uint8Array
}
