// The zlib backend for Node and Bun (package.json "imports" → "#zlib"): node:zlib's inflate and Buffer's base64. Deflate
// is the plain-JavaScript one of every runtime: for a token's few hundred bytes it is ~8x faster than deflateSync
// (which sets up a 256 KiB zlib stream per call) and as small, and tokens are then the same bytes on every runtime.
import { Buffer } from 'node:buffer'
import { inflateSync } from 'node:zlib'
import type { ZlibBackend } from './contract'
import { deflateZlib } from './deflate'

export const deflate: ZlibBackend['deflate'] = deflateZlib

export const inflate: ZlibBackend['inflate'] = (compressed, maxOutputLength) => {
  let inflated: { buffer: Buffer; engine: { bytesWritten: number } }
  try {
    inflated = inflateSync(compressed, { info: true, maxOutputLength }) as unknown as typeof inflated
  } catch (error) {
    throw new Error((error as Error).message)
  }
  if (inflated.engine.bytesWritten !== compressed.length) throw new Error('there are bytes after the deflate stream')
  if (hasSetPaddingBits(compressed, inflated.buffer, maxOutputLength)) throw new Error('the deflate stream has set padding bits')
  return inflated.buffer
}

/**
 * The deflate stream's last byte (before the 4-byte Adler-32) ends in unused high bits that zlib writes as zero and
 * inflate ignores. Clearing the highest set bit: if the output is unchanged, that bit was padding.
 */
function hasSetPaddingBits(compressed: Uint8Array, content: Buffer, maxOutputLength: number): boolean {
  const at = compressed.length - 5
  const last = compressed[at]
  if (last === undefined || last === 0) return false
  const probe = Buffer.from(compressed)
  probe[at] = last & ~(1 << (31 - Math.clz32(last)))
  try {
    return inflateSync(probe, { maxOutputLength }).equals(content)
  } catch {
    return false
  }
}

export const base64: ZlibBackend['base64'] = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')

export const bytesFromBase64: ZlibBackend['bytesFromBase64'] = (text) => Buffer.from(text, 'base64')
