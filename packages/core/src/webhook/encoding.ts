// Encodings webhook signatures come in, for every runtime (no Buffer).

const HEX = '0123456789abcdef'

/**
 * Lower-case hex of bytes.
 *
 * @example
 * const expected = hexFromBytes(await hmacSha256(secret, delivery.body)) // 64 hex digits
 */
export function hexFromBytes(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]! >> 4]! + HEX[bytes[i]! & 15]!
  return out
}

/**
 * Padded standard base64 of bytes.
 *
 * @example
 * const bodyHash = base64FromBytes(await sha256(delivery.body))
 */
export function base64FromBytes(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!)
  return btoa(binary)
}

/**
 * The bytes of standard base64 (padding optional), or undefined when it is not base64.
 *
 * @example
 * const key = bytesFromBase64(context.secret!) // a webhook secret issued as base64
 */
export function bytesFromBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined
  try {
    const binary = atob(text)
    const bytes = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
    return bytes
  } catch {
    return undefined
  }
}

/**
 * `a` then `b`, as one array.
 *
 * @example
 * const signed = concatBytes(new TextEncoder().encode(`${timestamp}.`), delivery.body)
 */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}
