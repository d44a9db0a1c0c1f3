// A small zlib (RFC 1950) deflater in plain JavaScript: greedy LZ77 matching over a 3-byte hash and one block of the
// fixed Huffman code (RFC 1951 3.2.6). For AccessToken2 payloads (a few hundred bytes, a random signature in them)
// its output is as small as zlib's, and it is about twice as fast as node:zlib's deflateSync, which sets up a
// 256 KiB zlib stream for every call. Every inflater reads it.
import { adler32, DIST_BASE, DIST_EXTRA, LENGTH_BASE, LENGTH_EXTRA } from './tables'

const MIN_MATCH = 3
const MAX_MATCH = 258
const WINDOW = 32_768
const HASH_BITS = 12

/** `code` (of `length` bits) with its bits reversed: deflate sends Huffman codes most significant bit first. */
function reversed(code: number, length: number): number {
  let out = 0
  for (let i = 0; i < length; i++) out |= ((code >>> i) & 1) << (length - 1 - i)
  return out
}

// The fixed code of every literal/length symbol (0..287) and distance code (0..29), bit-reversed once.
const LITERAL_CODE = new Uint16Array(288)
const LITERAL_BITS = new Uint8Array(288)
for (let symbol = 0; symbol < 288; symbol++) {
  const [code, bits] = symbol < 144 ? [0x30 + symbol, 8] : symbol < 256 ? [0x190 + symbol - 144, 9] : symbol < 280 ? [symbol - 256, 7] : [0xc0 + symbol - 280, 8]
  LITERAL_CODE[symbol] = reversed(code, bits)
  LITERAL_BITS[symbol] = bits
}
const DISTANCE_CODE = Uint8Array.from({ length: 30 }, (_, code) => reversed(code, 5))

/** The last index of `table` whose value is at most `value`. */
const codeOf = (table: readonly number[], value: number) => {
  let code = table.length - 1
  while (table[code]! > value) code--
  return code
}
// Length 3..258 → length code 0..28; distance 1..32768 → distance code, as zlib's tables (by distance − 1 up to 256,
// then by (distance − 1) >> 7).
const LENGTH_CODE = Uint8Array.from({ length: MAX_MATCH + 1 }, (_, length) => (length < MIN_MATCH ? 0 : codeOf(LENGTH_BASE, length)))
const NEAR_DISTANCE_CODE = Uint8Array.from({ length: 256 }, (_, d) => codeOf(DIST_BASE, d + 1))
const FAR_DISTANCE_CODE = Uint8Array.from({ length: 256 }, (_, d) => codeOf(DIST_BASE, (d << 7) + 1))
const distanceCodeOf = (distance: number) => (distance <= 256 ? NEAR_DISTANCE_CODE[distance - 1]! : FAR_DISTANCE_CODE[(distance - 1) >> 7]!)

// The hash table outlives a call: a slot holds `base + position`, and only slots at or above this call's base count,
// so no call clears 16 KiB. The base starts over (with a clear) long before it could overflow.
const head = new Int32Array(1 << HASH_BITS)
let base = 0

/**
 * `data` as one zlib stream.
 *
 * @example
 * inflateZlib(deflateZlib(bytes), 1 << 20) // bytes again
 */
export function deflateZlib(data: Uint8Array): Uint8Array {
  const n = data.length
  if (base > 0x3fff_ffff - n) {
    head.fill(0)
    base = 0
  }
  const start = base + 1 // slots below this are from earlier calls (0 is "never set")
  base = start + n

  // The worst case is 9 bits a byte: the header, the block's bits, the end-of-block code, padding and the checksum fit.
  const out = new Uint8Array(2 + ((n * 9 + 3 + 7 + 7) >>> 3) + 4)
  out[0] = 0x78
  out[1] = 0x9c // CMF/FLG as zlib writes them at its default level (the level is informational), so tokens look alike
  let at = 2
  let bitBuffer = 0b011 // the last block (1), fixed Huffman codes (01)
  let bitCount = 3
  // `count` bits of `value`, least significant first; at most 24 at a time.
  const put = (value: number, count: number) => {
    bitBuffer |= value << bitCount
    bitCount += count
    while (bitCount >= 8) {
      out[at++] = bitBuffer & 0xff
      bitBuffer >>>= 8
      bitCount -= 8
    }
  }
  const hash = (i: number) => (Math.imul((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!, 2654435761) >>> (32 - HASH_BITS))

  for (let i = 0; i < n; ) {
    let matchLength = 0
    let distance = 0
    if (i + MIN_MATCH <= n) {
      const h = hash(i)
      const candidate = head[h]! - start
      head[h] = start + i
      if (candidate >= 0 && i - candidate <= WINDOW) {
        const limit = Math.min(MAX_MATCH, n - i)
        while (matchLength < limit && data[candidate + matchLength] === data[i + matchLength]) matchLength++
        distance = i - candidate
      }
    }
    if (matchLength < MIN_MATCH) {
      const symbol = data[i++]!
      put(LITERAL_CODE[symbol]!, LITERAL_BITS[symbol]!)
      continue
    }
    const lengthCode = LENGTH_CODE[matchLength]!
    put(LITERAL_CODE[257 + lengthCode]!, LITERAL_BITS[257 + lengthCode]!)
    put(matchLength - LENGTH_BASE[lengthCode]!, LENGTH_EXTRA[lengthCode]!)
    const distanceCode = distanceCodeOf(distance)
    put(DISTANCE_CODE[distanceCode]!, 5)
    put(distance - DIST_BASE[distanceCode]!, DIST_EXTRA[distanceCode]!)
    // The matched bytes enter the hash too, so later data can refer to them.
    const end = i + matchLength
    for (i++; i < end; i++) if (i + MIN_MATCH <= n) head[hash(i)] = start + i
  }
  put(LITERAL_CODE[256]!, LITERAL_BITS[256]!)
  if (bitCount > 0) put(0, 8 - bitCount)
  const checksum = adler32(data)
  out[at++] = checksum >>> 24
  out[at++] = (checksum >>> 16) & 0xff
  out[at++] = (checksum >>> 8) & 0xff
  out[at++] = checksum & 0xff
  return out.subarray(0, at)
}
