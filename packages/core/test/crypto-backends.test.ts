import { createHash, createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import * as node from '../src/crypto/node'
import * as web from '../src/crypto/web'

// The two backends behind "#crypto" must agree byte for byte; node:crypto is the reference for both.
const samples: (string | Uint8Array)[] = [
  '',
  'a',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9',
  'ünïcödé ✓ 😀',
  new Uint8Array(0),
  new Uint8Array([0, 255, 128, 1]),
  ...Array.from({ length: 40 }, (_, i) => new Uint8Array(randomBytes(i * 7 + 1))),
]
const keys: (string | Uint8Array)[] = ['k', 'a secret of the usual thirty-two+ characters', new Uint8Array([1, 2, 3, 4]), new Uint8Array(randomBytes(100))]

describe('the node and web crypto backends', () => {
  it('compute the same HMAC-SHA256 as node:crypto, as bytes and as base64url, with keys used once or many times', async () => {
    for (const key of keys) {
      const [nodeMac, webMac] = [node.hmacSha256(key), web.hmacSha256(key)]
      for (const data of samples) {
        const expected = createHmac('sha256', key).update(data).digest()
        expect(nodeMac.bytes(data)).toBeInstanceOf(Uint8Array) // synchronous: no promise on Node
        expect(Buffer.from(nodeMac.bytes(data) as Uint8Array)).toEqual(expected)
        const fromWeb = webMac.bytes(data)
        expect(fromWeb).toBeInstanceOf(Promise)
        expect(Buffer.from(await fromWeb)).toEqual(expected)
        expect(Buffer.from(await web.hmacSha256Once(key, data))).toEqual(expected)
        expect(Buffer.from(node.hmacSha256Once(key, data) as Uint8Array)).toEqual(expected)
        if (typeof data === 'string') {
          expect(nodeMac.base64url(data)).toBe(expected.toString('base64url'))
          expect(await webMac.base64url(data)).toBe(expected.toString('base64url'))
        }
      }
    }
  })

  it('compute the same HMAC-SHA1 and SHA-256 as node:crypto (webhook signatures)', async () => {
    for (const data of samples) {
      const digest = createHash('sha256').update(data).digest()
      expect(Buffer.from(node.sha256(data) as Uint8Array)).toEqual(digest)
      expect(Buffer.from(await web.sha256(data))).toEqual(digest)
      for (const key of keys) {
        const expected = createHmac('sha1', key).update(data).digest()
        expect(Buffer.from(node.hmacSha1Once(key, data) as Uint8Array)).toEqual(expected)
        expect(Buffer.from(await web.hmacSha1Once(key, data))).toEqual(expected)
      }
    }
  })

  it('encode and decode base64url alike, without padding', () => {
    for (const data of samples) {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
      const expected = Buffer.from(bytes).toString('base64url')
      expect(node.base64urlFromBytes(bytes)).toBe(expected)
      expect(web.base64urlFromBytes(bytes)).toBe(expected)
      expect(Buffer.from(web.bytesFromBase64url(expected))).toEqual(Buffer.from(bytes))
      expect(Buffer.from(node.bytesFromBase64url(expected))).toEqual(Buffer.from(bytes))
      if (typeof data === 'string') {
        expect(web.base64urlFromText(data)).toBe(expected)
        expect(node.base64urlFromText(data)).toBe(expected)
      }
    }
  })

  it('the web backend uses no Node API: its source imports nothing and names no Buffer or process', async () => {
    const { readFile } = await import('node:fs/promises')
    const source = await readFile(new URL('../src/crypto/web.ts', import.meta.url), 'utf8')
    expect(source.match(/^import .* from '(?!\.\/)[^']*'/gm) ?? []).toEqual([])
    expect(source).toContain('crypto.subtle')
    expect(source).not.toMatch(/\bBuffer\b|\bprocess\b|require\(/)
  })
})
