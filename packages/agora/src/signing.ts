import { andThen, constantTimeEqualBytes, hmacSha256, type MaybePromise } from '@calltoken/core/provider'

const u32le = (value: number) => {
  const bytes = new Uint8Array(4)
  new DataView(bytes.buffer).setUint32(0, value, true)
  return bytes
}

/**
 * AccessToken2's signature over the signing info: the key is the certificate (its hex text, as
 * bytes) chained through the issue time and the salt, so each token has its own key. Synchronous on
 * Node and Bun, a promise on Web Crypto.
 */
export function accessToken2Signature(appCertificate: string, issueTs: number, salt: number, signingInfo: Uint8Array): MaybePromise<Uint8Array> {
  return andThen(hmacSha256(u32le(issueTs), appCertificate), (timeKey) =>
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
