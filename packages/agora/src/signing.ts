import { andThen, constantTimeEqualBytes, hmacSha256, type MaybePromise } from '@calltoken/core/provider'

const u32le = (value: number) => new Uint8Array([value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24])

// The first link of the key chain depends only on the certificate and the issue time (whole seconds), so tokens
// minted in the same second share it: one HMAC of three saved on a busy endpoint. One entry, replaced each second.
let lastTimeKey: { readonly appCertificate: string; readonly issueTs: number; readonly key: MaybePromise<Uint8Array> } | undefined

function timeKeyOf(appCertificate: string, issueTs: number): MaybePromise<Uint8Array> {
  const last = lastTimeKey
  if (last !== undefined && last.issueTs === issueTs && last.appCertificate === appCertificate) return last.key
  const key = hmacSha256(u32le(issueTs), appCertificate)
  const entry = { appCertificate, issueTs, key }
  lastTimeKey = entry
  // A failed Web Crypto call is not remembered.
  if (key instanceof Promise) key.catch(() => (lastTimeKey === entry ? (lastTimeKey = undefined) : undefined))
  return key
}

/**
 * AccessToken2's signature over the signing info: the key is the certificate (its hex text, as
 * bytes) chained through the issue time and the salt, so each token has its own key. Synchronous on
 * Node and Bun, a promise on Web Crypto.
 */
export function accessToken2Signature(appCertificate: string, issueTs: number, salt: number, signingInfo: Uint8Array): MaybePromise<Uint8Array> {
  return andThen(timeKeyOf(appCertificate, issueTs), (timeKey) =>
    andThen(hmacSha256(u32le(salt), timeKey), (key) => hmacSha256(key, signingInfo)),
  )
}

/** Constant-time comparison of a token's signature with the one `appCertificate` gives. */
export function signatureMatches(
  signature: Uint8Array,
  appCertificate: string,
  issueTs: number,
  salt: number,
  signingInfo: Uint8Array,
): MaybePromise<boolean> {
  return andThen(accessToken2Signature(appCertificate, issueTs, salt, signingInfo), (expected) => constantTimeEqualBytes(signature, expected))
}
