// The zlib backend for Node and Bun (package.json "imports" → "#zlib"): zlib's own deflate, so a token is byte for
// byte what agora-token builds from the same fields.
import { Buffer } from 'node:buffer'
import { deflateSync } from 'node:zlib'
import type { ZlibBackend } from './contract'

export const deflate: ZlibBackend['deflate'] = (data) => deflateSync(data)

export const base64: ZlibBackend['base64'] = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')

export const bytesFromBase64: ZlibBackend['bytesFromBase64'] = (text) => Buffer.from(text, 'base64')
