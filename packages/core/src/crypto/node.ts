// The crypto backend for Node and Bun (package.json "imports" → "#crypto", conditions "node" and "bun"): node:crypto
// and Buffer, synchronous, so a mint on Node costs no promise for its signature.
import { Buffer } from 'node:buffer'
import { createHash, createHmac, createSecretKey } from 'node:crypto'
import type { CryptoBackend } from './contract'

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)

export const hmacSha256: CryptoBackend['hmacSha256'] = (key) => {
  const secret = createSecretKey(typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key))
  return {
    bytes: (data) => createHmac('sha256', secret).update(data).digest(),
    base64url: (data) => createHmac('sha256', secret).update(data).digest('base64url'),
  }
}

export const hmacSha256Once: CryptoBackend['hmacSha256Once'] = (key, data) => createHmac('sha256', key).update(data).digest()

export const hmacSha1Once: CryptoBackend['hmacSha1Once'] = (key, data) => createHmac('sha1', key).update(data).digest()

export const sha256: CryptoBackend['sha256'] = (data) => createHash('sha256').update(data).digest()

export const base64urlFromText: CryptoBackend['base64urlFromText'] = (text) => Buffer.from(text, 'utf8').toString('base64url')

export const base64urlFromBytes: CryptoBackend['base64urlFromBytes'] = (bytes) => asBuffer(bytes).toString('base64url')

export const bytesFromBase64url: CryptoBackend['bytesFromBase64url'] = (text) => Buffer.from(text, 'base64url')
