/**
 * Whether the bytes start with gzip's magic number (RFC 1952), as a compressed delivery does.
 *
 * @example
 * if (isGzip(delivery.body)) body = await gunzipBounded(delivery.body, 5 * 1024 * 1024)
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
}

/**
 * The bytes gzip-decompressed with the runtime's DecompressionStream (Node, Bun, Deno, workerd, browsers), or
 * undefined when they are not valid gzip or would inflate past `maxBytes` (a compression bomb stops there).
 *
 * @example
 * const body = isGzip(delivery.body) ? await gunzipBounded(delivery.body, 5 * 1024 * 1024) : delivery.body
 */
export async function gunzipBounded(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array | undefined> {
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip')).getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.length
      if (size > maxBytes) {
        await reader.cancel()
        return undefined
      }
      chunks.push(value)
    }
  } catch {
    return undefined
  }
  const out = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}
