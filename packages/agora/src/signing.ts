import { createHmac, timingSafeEqual } from 'node:crypto'

const u32le = (value: number) => {
  const bytes = Buffer.allocUnsafe(4)
  bytes.writeUInt32LE(value)
  return bytes
}

const hmac = (key: Uint8Array, message: Uint8Array | string) => createHmac('sha256', key).update(message).digest()

/**
 * AccessToken2's signature over the signing info: the key is the certificate (its hex text, as
 * bytes) chained through the issue time and the salt, so each token has its own key.
 */
export function accessToken2Signature(appCertificate: string, issueTs: number, salt: number, signingInfo: Uint8Array): Buffer {
  const key = hmac(u32le(salt), hmac(u32le(issueTs), appCertificate))
  return hmac(key, signingInfo)
}

/** Constant-time comparison of a token's signature with the one `appCertificate` gives. */
export function signatureMatches(
  signature: Uint8Array,
  appCertificate: string,
  issueTs: number,
  salt: number,
  signingInfo: Uint8Array,
): boolean {
  const expected = accessToken2Signature(appCertificate, issueTs, salt, signingInfo)
  return signature.length === expected.length && timingSafeEqual(signature, expected)
}
