// The zlib backend for every runtime without node:zlib (package.json "imports" → "#zlib"): a plain-JavaScript
// deflater and inflater, synchronous, the same bytes on every runtime (CompressionStream would be asynchronous per token and is
// missing in Vercel's edge-runtime), and btoa/atob. No Node API.
import type { ZlibBackend } from './contract'
import { deflateZlib } from './deflate'
import { inflateZlib } from './inflate'

export const deflate: ZlibBackend['deflate'] = deflateZlib

export const inflate: ZlibBackend['inflate'] = inflateZlib

export const base64: ZlibBackend['base64'] = (bytes) => {
  let binary = ''
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!)
  return btoa(binary)
}

export const bytesFromBase64: ZlibBackend['bytesFromBase64'] = (text) => {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
