// A strict zlib (RFC 1950) inflater in plain JavaScript, for AccessToken2 payloads (a few hundred bytes), used by the
// web backend: it runs on every runtime, synchronously, and refuses what zlib would let through — bytes after the stream and set padding
// bits, each of which would give a second spelling of the same signed token. Slow-path Huffman decoding (puff.c's)
// is plenty for tokens; `maxOutputLength` bounds the work a crafted stream can cause.
import { InflateError } from './inflate-error'
import { adler32, DIST_BASE, DIST_EXTRA, LENGTH_BASE, LENGTH_EXTRA } from './tables'

const fail = (reason: string): never => {
  throw new InflateError(reason)
}

// The order code-length code lengths arrive in (3.2.7).
const CLEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

/** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
interface Huffman {
  readonly counts: Uint16Array
  readonly symbols: Uint16Array
}

function huffman(lengths: ArrayLike<number>, allowIncomplete: boolean): Huffman {
  const counts = new Uint16Array(16)
  for (let i = 0; i < lengths.length; i++) counts[lengths[i]!]!++
  let left = 1
  for (let len = 1; len < 16; len++) {
    left = (left << 1) - counts[len]!
    if (left < 0) fail('an over-subscribed Huffman code')
  }
  // zlib accepts an incomplete code only for a distance code of at most one symbol; anything else is corrupt.
  if (left > 0 && !(allowIncomplete && lengths.length - counts[0]! <= 1)) fail('an incomplete Huffman code')
  const offsets = new Uint16Array(16)
  for (let len = 1; len < 15; len++) offsets[len + 1] = offsets[len]! + counts[len]!
  const symbols = new Uint16Array(lengths.length)
  for (let symbol = 0; symbol < lengths.length; symbol++) if (lengths[symbol] !== 0) symbols[offsets[lengths[symbol]!]!++] = symbol
  return { counts, symbols }
}

const FIXED_LITERALS = huffman(Array.from({ length: 288 }, (_, i) => (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8)), false)
// 32 codes, as zlib builds it: distance codes 30 and 31 exist in the fixed code but are invalid (refused when met).
const FIXED_DISTANCES = huffman(new Array<number>(32).fill(5), false)

class Inflater {
  private at: number
  private bitBuffer = 0
  private bitCount = 0
  private out: Uint8Array
  private written = 0

  constructor(
    private readonly input: Uint8Array,
    start: number,
    private readonly end: number,
    private readonly maxOutputLength: number,
  ) {
    this.at = start
    // Tokens inflate to about twice their size; the buffer grows (doubling) only for larger data.
    this.out = new Uint8Array(Math.min(maxOutputLength, 4 * (end - start) + 64))
  }

  bits(count: number): number {
    let buffer = this.bitBuffer
    while (this.bitCount < count) {
      if (this.at >= this.end) fail('the deflate stream is truncated')
      buffer |= this.input[this.at++]! << this.bitCount
      this.bitCount += 8
    }
    this.bitBuffer = buffer >>> count
    this.bitCount -= count
    return buffer & ((1 << count) - 1)
  }

  /** Drops the bits left in the current byte; with `strict`, they must be zero. Returns the next byte's offset. */
  alignToByte(strict: boolean): number {
    if (strict && this.bitBuffer !== 0) fail('the deflate stream has set padding bits')
    this.bitBuffer = 0
    this.bitCount = 0
    return this.at
  }

  private decode({ counts, symbols }: Huffman): number {
    let code = 0
    let first = 0
    let index = 0
    for (let len = 1; len < 16; len++) {
      code |= this.bits(1)
      const count = counts[len]!
      if (code - count < first) return symbols[index + (code - first)]!
      index += count
      first = (first + count) << 1
      code <<= 1
    }
    return fail('an invalid Huffman code')
  }

  private put(byte: number): void {
    if (this.written === this.out.length) {
      if (this.written >= this.maxOutputLength) fail('the inflated data is too long')
      const grown = new Uint8Array(Math.min(this.maxOutputLength, 2 * this.out.length))
      grown.set(this.out)
      this.out = grown
    }
    this.out[this.written++] = byte
  }

  stored(): void {
    // Like zlib, the bits before a stored block are ignored; only the stream's final padding is checked.
    this.at = this.alignToByte(false)
    if (this.at + 4 > this.end) fail('the deflate stream is truncated')
    const length = this.input[this.at]! | (this.input[this.at + 1]! << 8)
    const check = this.input[this.at + 2]! | (this.input[this.at + 3]! << 8)
    if ((length ^ 0xffff) !== check) fail('a stored block has a bad length')
    this.at += 4
    if (this.at + length > this.end) fail('the deflate stream is truncated')
    for (let i = 0; i < length; i++) this.put(this.input[this.at++]!)
  }

  codes(literals: Huffman, distances: Huffman): void {
    for (;;) {
      const symbol = this.decode(literals)
      if (symbol < 256) this.put(symbol)
      else if (symbol === 256) return
      else {
        const lengthCode = symbol - 257
        if (lengthCode >= 29) fail('an invalid length code')
        const length = LENGTH_BASE[lengthCode]! + this.bits(LENGTH_EXTRA[lengthCode]!)
        const distanceCode = this.decode(distances)
        if (distanceCode >= 30) fail('an invalid distance code')
        const distance = DIST_BASE[distanceCode]! + this.bits(DIST_EXTRA[distanceCode]!)
        if (distance > this.written) fail('a distance reaches before the start')
        for (let i = 0; i < length; i++) this.put(this.out[this.written - distance]!)
      }
    }
  }

  dynamicCodes(): [Huffman, Huffman] {
    const literalCount = this.bits(5) + 257
    const distanceCount = this.bits(5) + 1
    const codeLengthCount = this.bits(4) + 4
    if (literalCount > 286 || distanceCount > 30) fail('too many Huffman codes')
    const codeLengthLengths = new Uint8Array(19)
    for (let i = 0; i < codeLengthCount; i++) codeLengthLengths[CLEN_ORDER[i]!] = this.bits(3)
    const codeLengths = huffman(codeLengthLengths, false)
    const lengths = new Uint8Array(literalCount + distanceCount)
    for (let i = 0; i < lengths.length; ) {
      const symbol = this.decode(codeLengths)
      if (symbol < 16) {
        lengths[i++] = symbol
        continue
      }
      let repeat: number
      let value = 0
      if (symbol === 16) {
        if (i === 0) fail('a repeat with no previous length')
        value = lengths[i - 1]!
        repeat = 3 + this.bits(2)
      } else repeat = symbol === 17 ? 3 + this.bits(3) : 11 + this.bits(7)
      if (i + repeat > lengths.length) fail('too many code lengths')
      lengths.fill(value, i, i + repeat)
      i += repeat
    }
    if (lengths[256] === 0) fail('no end-of-block code')
    return [huffman(lengths.subarray(0, literalCount), false), huffman(lengths.subarray(literalCount), true)]
  }

  inflate(): number {
    for (let last = 0; last === 0; ) {
      last = this.bits(1)
      const type = this.bits(2)
      if (type === 0) this.stored()
      else if (type === 1) this.codes(FIXED_LITERALS, FIXED_DISTANCES)
      else if (type === 2) this.codes(...this.dynamicCodes())
      else fail('an invalid block type')
    }
    return this.written
  }

  output(length: number): Uint8Array {
    return this.out.subarray(0, length)
  }
}


/**
 * The bytes of one zlib stream that fills `compressed` exactly: header, deflate data with zero padding, Adler-32.
 *
 * @throws InflateError for anything else, including a stream longer than `maxOutputLength` once inflated.
 */
export function inflateZlib(compressed: Uint8Array, maxOutputLength: number): Uint8Array {
  if (compressed.length < 6) fail('too short for a zlib stream')
  const cmf = compressed[0]!
  const flg = compressed[1]!
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) fail('not a zlib header')
  if (flg & 0x20) fail('a preset dictionary is not supported')
  const inflater = new Inflater(compressed, 2, compressed.length - 4, maxOutputLength)
  const length = inflater.inflate()
  if (inflater.alignToByte(true) !== compressed.length - 4) fail('there are bytes after the deflate stream')
  const output = inflater.output(length)
  const at = compressed.length - 4
  const expected = ((compressed[at]! << 24) | (compressed[at + 1]! << 16) | (compressed[at + 2]! << 8) | compressed[at + 3]!) >>> 0
  if (adler32(output) !== expected) fail('the Adler-32 checksum does not match')
  return output
}
