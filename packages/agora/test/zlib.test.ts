import fc from 'fast-check'
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { deflateSync, inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { deflateZlib } from '../src/zlib/deflate'
import { inflateZlib } from '../src/zlib/inflate'
import { InflateError } from '../src/zlib/inflate-error'
import * as node from '../src/zlib/node'
import * as web from '../src/zlib/web'
import { APP_CERTIFICATE, APP_ID } from './fixtures'

const MAX = 1 << 20
// Thousands of random streams each: seconds on a loaded 2-core CI machine, well past vitest's default 5 s.
const PROPERTY_TIMEOUT_MS = 60_000
const repetitive = (n: number) => new TextEncoder().encode('0123456789abcdef'.repeat(n))

describe('the plain-JavaScript zlib codec', () => {
  it("inflates what zlib deflates, at every level and strategy, exactly as zlib's inflate does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 0, max: 9 }), fc.constantFrom(0, 1, 2, 3, 4), (bytes, level, strategy) => {
        const compressed = deflateSync(bytes, { level, strategy })
        expect(Buffer.from(inflateZlib(compressed, MAX))).toEqual(inflateSync(compressed))
      }),
      { numRuns: 400 },
    )
    for (const data of [repetitive(1), repetitive(3000), new Uint8Array(70_000)]) {
      for (const level of [1, 6, 9]) expect(Buffer.from(inflateZlib(deflateSync(data, { level }), MAX))).toEqual(Buffer.from(data))
    }
  }, PROPERTY_TIMEOUT_MS)

  it('deflates into streams zlib inflates back to the input, and compresses repeats', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.string({ maxLength: 500 }).map((s) => new TextEncoder().encode(s.repeat(3)))), (bytes) => {
        const compressed = deflateZlib(bytes)
        expect(inflateSync(compressed)).toEqual(Buffer.from(bytes))
        expect(inflateZlib(compressed, MAX)).toEqual(bytes)
      }),
      { numRuns: 400 },
    )
    const long = repetitive(2000) // 32 000 bytes of one 16-byte pattern
    expect(deflateZlib(long).length).toBeLessThan(long.length / 50)
    expect(inflateSync(deflateZlib(new Uint8Array(100_000)))).toEqual(Buffer.alloc(100_000))
  }, PROPERTY_TIMEOUT_MS)

  it("compresses token payloads as small as zlib's deflateSync does", async () => {
    const { createTokenService } = await import('@calltoken/core')
    const { agora } = await import('@calltoken/agora')
    const service = createTokenService({ provider: agora({ appId: APP_ID, appCertificate: APP_CERTIFICATE }) })
    for (let i = 0; i < 200; i++) {
      const { token } = await service.createCallToken({ userId: `user-${i}-${'x'.repeat(i % 40)}`, callId: `channel ${i % 7} ${'ab'.repeat(i % 20)}` })
      const content = inflateSync(Buffer.from(token.slice(3), 'base64'))
      expect(deflateZlib(content).length).toBeLessThanOrEqual(deflateSync(content).length)
    }
  }, PROPERTY_TIMEOUT_MS)

  it('throws only InflateError on random streams', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const stream = Buffer.concat([Buffer.from([0x78, 0x9c]), bytes])
        try {
          inflateZlib(stream, 4096)
        } catch (error) {
          expect(error).toBeInstanceOf(InflateError)
        }
      }),
      { numRuns: 2000 },
    )
  }, PROPERTY_TIMEOUT_MS)
})

describe('the node and web zlib backends', () => {
  // The same refusals from both, so a token reads the same on every runtime.
  for (const [name, backend] of [['node', node], ['web', web]] as const) {
    it(`${name}: inflates exactly one stream and refuses bytes after it, set padding bits, a bad checksum, a dictionary, output over the limit`, () => {
      const good = deflateSync(randomBytes(150))
      expect(Buffer.from(backend.inflate(good, MAX))).toEqual(inflateSync(good))
      const refuse = (bytes: Uint8Array, max = MAX) => expect(() => backend.inflate(bytes, max)).toThrow()
      refuse(Buffer.concat([good, Buffer.from([0])]))
      const checksum = Buffer.from(good)
      checksum[checksum.length - 1]! ^= 1
      refuse(checksum)
      refuse(Buffer.from([0x78, 0xbb, 0, 0, 0, 0, 0, 1]))
      refuse(deflateSync(new Uint8Array(5000)), 4096)
      refuse(Buffer.from([0x78, 0x9c]))
      refuse(Buffer.from([0x79, 0x9c, 3, 0, 0, 0, 0, 1]))
      // The empty stream's final byte (fixed block, end code) with a padding bit set: zlib itself still inflates it.
      const empty = deflateSync(new Uint8Array(0))
      const padded = Buffer.from(empty)
      padded[3]! |= 0x80
      expect(inflateSync(padded)).toEqual(Buffer.alloc(0))
      refuse(padded)
      expect(backend.inflate(empty, MAX)).toHaveLength(0)
    })
  }

  it('agree on random zlib streams: the same bytes, or both refuse', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 9 }), fc.option(fc.tuple(fc.nat(), fc.nat(255)), { nil: undefined }), (bytes, level, edit) => {
        const stream = Buffer.from(deflateSync(bytes, { level }))
        if (edit) stream[edit[0] % stream.length] = edit[1]
        const read = (backend: typeof node) => {
          try {
            return Buffer.from(backend.inflate(stream, 4096)).toString('hex')
          } catch (error) {
            expect(error).toBeInstanceOf(Error)
            return 'refused'
          }
        }
        expect(read(web)).toBe(read(node))
      }),
      { numRuns: 2000 },
    )
  }, PROPERTY_TIMEOUT_MS)

  it('encode base64 alike, and both deflate into streams that inflate to the input', () => {
    for (const bytes of [new Uint8Array(0), randomBytes(1), randomBytes(2), randomBytes(3), randomBytes(200)]) {
      expect(web.base64(bytes)).toBe(node.base64(bytes))
      expect(Buffer.from(web.bytesFromBase64(node.base64(bytes)))).toEqual(Buffer.from(bytes))
      for (const backend of [node, web]) expect(inflateSync(backend.deflate(bytes))).toEqual(Buffer.from(bytes))
    }
  })

  it('the web backend and the codec use no Node API', async () => {
    for (const file of ['web.ts', 'deflate.ts', 'inflate.ts', 'tables.ts']) {
      const source = await readFile(new URL(`../src/zlib/${file}`, import.meta.url), 'utf8')
      expect(source.match(/^import .* from '(?!\.\/)[^']*'/gm) ?? [], file).toEqual([])
      expect(source, file).not.toMatch(/\bBuffer\b|\bprocess\b|require\(/)
    }
  })
})
