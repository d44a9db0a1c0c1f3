// A small zlib (RFC 1950) deflater in plain JavaScript for runtimes without node:zlib: greedy LZ77 matching over a
// 3-byte hash and one block of the fixed Huffman code (RFC 1951 3.2.6). For AccessToken2 payloads (a few hundred
// bytes, a random signature in them) that is within a few bytes of zlib's own output, and any inflater reads it.
import { adler32, DIST_BASE, DIST_EXTRA, LENGTH_BASE, LENGTH_EXTRA } from './tables'

const MIN_MATCH = 3
const MAX_MATCH = 258
const WINDOW = 32_768

class BitWriter {
  private bytes: Uint8Array
  private length = 0
  private buffer = 0
  private count = 0

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity)
  }

  private push(byte: number): void {
    if (this.length === this.bytes.length) {
      const grown = new Uint8Array(2 * this.bytes.length)
      grown.set(this.bytes)
      this.bytes = grown
    }
    this.bytes[this.length++] = byte
  }

  /** `count` bits of `value`, least significant first (how deflate packs everything but Huffman codes). */
  bits(value: number, count: number): void {
    this.buffer |= value << this.count
    this.count += count
    while (this.count >= 8) {
      this.push(this.buffer & 0xff)
      this.buffer >>>= 8
      this.count -= 8
    }
  }

  /** A Huffman code, most significant bit first. */
  code(code: number, length: number): void {
    let reversed = 0
    for (let i = 0; i < length; i++) reversed |= ((code >>> i) & 1) << (length - 1 - i)
    this.bits(reversed, length)
  }

  /** Pads the last byte with zero bits and appends whole bytes. */
  flushBytes(...bytes: number[]): Uint8Array {
    if (this.count > 0) this.bits(0, 8 - this.count)
    for (const byte of bytes) this.push(byte)
    return this.bytes.slice(0, this.length)
  }
}

function literal(out: BitWriter, symbol: number): void {
  if (symbol < 144) out.code(0x30 + symbol, 8)
  else if (symbol < 256) out.code(0x190 + symbol - 144, 9)
  else if (symbol < 280) out.code(symbol - 256, 7)
  else out.code(0xc0 + symbol - 280, 8)
}

/** The last index of `table` whose value is at most `value` (the code of a length or distance). */
function codeOf(table: readonly number[], value: number): number {
  let code = table.length - 1
  while (table[code]! > value) code--
  return code
}


/**
 * `data` as one zlib stream.
 *
 * @example
 * inflateZlib(deflateZlib(bytes), 1 << 20) // bytes again
 */
export function deflateZlib(data: Uint8Array): Uint8Array {
  const out = new BitWriter(data.length + 64)
  out.bits(0x78, 8)
  out.bits(0x9c, 8) // CMF/FLG as zlib writes them at its default level (the level is informational), so tokens look alike
  out.bits(1, 1) // the last block
  out.bits(1, 2) // fixed Huffman codes
  const head = new Int32Array(1 << 12).fill(-1)
  const hash = (i: number) => Math.imul((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!, 2654435761) >>> 20
  for (let i = 0; i < data.length; ) {
    let matchLength = 0
    let distance = 0
    if (i + MIN_MATCH <= data.length) {
      const h = hash(i)
      const candidate = head[h]!
      head[h] = i
      if (candidate >= 0 && i - candidate <= WINDOW) {
        const limit = Math.min(MAX_MATCH, data.length - i)
        while (matchLength < limit && data[candidate + matchLength] === data[i + matchLength]) matchLength++
        distance = i - candidate
      }
    }
    if (matchLength < MIN_MATCH) {
      literal(out, data[i++]!)
      continue
    }
    const lengthCode = codeOf(LENGTH_BASE, matchLength)
    literal(out, 257 + lengthCode)
    out.bits(matchLength - LENGTH_BASE[lengthCode]!, LENGTH_EXTRA[lengthCode]!)
    const distanceCode = codeOf(DIST_BASE, distance)
    out.code(distanceCode, 5)
    out.bits(distance - DIST_BASE[distanceCode]!, DIST_EXTRA[distanceCode]!)
    // The matched bytes enter the hash too, so later data can refer to them.
    const end = i + matchLength
    for (i++; i < end; i++) if (i + MIN_MATCH <= data.length) head[hash(i)] = i
  }
  literal(out, 256)
  const checksum = adler32(data)
  return out.flushBytes(checksum >>> 24, (checksum >>> 16) & 0xff, (checksum >>> 8) & 0xff, checksum & 0xff)
}
