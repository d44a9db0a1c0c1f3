/**
 * Whether two strings are equal, in time that depends on their length only, not on where they differ: for comparing
 * a signature an attacker chose with the expected one. Plain JavaScript, so it runs on every runtime.
 *
 * @example
 * if (!constantTimeEqual(given, expected)) throw invalidToken('acme', 'the signature does not match')
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return difference === 0
}

/**
 * `constantTimeEqual` for bytes.
 *
 * @example
 * const matches = constantTimeEqualBytes(signature, await hmacSha256(key, signedBytes))
 */
export function constantTimeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!
  return difference === 0
}
