import { configError } from '@calltoken/core'

const HEX_32 = /^[0-9a-fA-F]{32}$/
// Values copied from a README or .env.example instead of Agora Console.
const PLACEHOLDER = /^(your[_-].*|.*[_-]here|<.*>|\$\{.*\}|x{3,}|changeme|change[_-]me|placeholder|todo|app[_-]?(id|certificate))$/i

/**
 * Trims an App ID or App Certificate and requires 32 hex characters, because agora-token answers a
 * bad one with an empty token instead of an error. Messages name the option and never echo the value.
 */
export function readHexCredential(value: unknown, name: 'appId' | 'appCertificate', envName: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw configError(`agora: ${name} is required (usually from ${envName})`)
  const trimmed = value.trim()
  if (PLACEHOLDER.test(trimmed)) {
    throw configError(`agora: ${name} looks like a placeholder, not a real value; copy it from Agora Console`)
  }
  if (/^["'`]|["'`]$/.test(trimmed)) throw configError(`agora: ${name} contains quotes; check how ${envName} is quoted`)
  if (!HEX_32.test(trimmed)) {
    const what = /^[0-9a-fA-F]*$/.test(trimmed) ? `${trimmed.length} characters` : 'characters that are not hexadecimal'
    throw configError(`agora: ${name} must be 32 hexadecimal characters, but it has ${what}; copy it from Agora Console`)
  }
  if (/^(.)\1+$/.test(trimmed)) throw configError(`agora: ${name} is one character repeated, which looks like a placeholder; copy it from Agora Console`)
  return trimmed
}
