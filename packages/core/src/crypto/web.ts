// The crypto backend for every runtime without node:crypto (package.json "imports" → "#crypto", conditions workerd,
// edge-light, browser, deno and default): Web Crypto's HMAC, which is asynchronous, and btoa/atob. No Node API.
import type { CryptoBackend } from './contract'

const utf8 = new TextEncoder()
const HMAC = { name: 'HMAC', hash: 'SHA-256' } as const
const bytesOf = (data: string | Uint8Array): Uint8Array<ArrayBuffer> =>
  typeof data === 'string' ? utf8.encode(data) : (new Uint8Array(data) as Uint8Array<ArrayBuffer>)

export const hmacSha256: CryptoBackend['hmacSha256'] = (key) => {
  const material = bytesOf(key)
  // Imported on first use, so a key that will never sign costs nothing and a failed import rejects a mint, not the module.
  let imported: ReturnType<typeof crypto.subtle.importKey> | undefined
  const mac = async (data: string | Uint8Array) => {
    imported ??= crypto.subtle.importKey('raw', material, HMAC, false, ['sign'])
    return new Uint8Array(await crypto.subtle.sign('HMAC', await imported, bytesOf(data)))
  }
  return { bytes: mac, base64url: async (data) => base64urlFromBytes(await mac(data)) }
}

export const hmacSha256Once: CryptoBackend['hmacSha256Once'] = (key, data) => hmacSha256(key).bytes(data)

export const hmacSha1Once: CryptoBackend['hmacSha1Once'] = async (key, data) => {
  const imported = await crypto.subtle.importKey('raw', bytesOf(key), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign'])
  return new Uint8Array(await crypto.subtle.sign('HMAC', imported, bytesOf(data)))
}

export const sha256: CryptoBackend['sha256'] = async (data) => new Uint8Array(await crypto.subtle.digest('SHA-256', bytesOf(data)))

function base64urlOfBinary(binary: string): string {
  return btoa(binary).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
}

export const base64urlFromBytes: CryptoBackend['base64urlFromBytes'] = (bytes) => {
  let binary = ''
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!)
  return base64urlOfBinary(binary)
}

export const base64urlFromText: CryptoBackend['base64urlFromText'] = (text) => base64urlFromBytes(utf8.encode(text))

export const bytesFromBase64url: CryptoBackend['bytesFromBase64url'] = (text) => {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
