import { configError, readCredential } from '@calltoken/core/provider'

const HEX_32 = /^[0-9a-fA-F]{32}$/

/**
 * Trims an App ID or App Certificate and requires 32 hex characters, because agora-token answers a
 * bad one with an empty token instead of an error. Messages name the option and never echo the value.
 */
export function readHexCredential(value: unknown, name: 'appId' | 'appCertificate', envName: string): string {
  const trimmed = readCredential(value, { provider: 'agora', name, envName, source: 'Agora Console' })
  if (!HEX_32.test(trimmed)) {
    const what = /^[0-9a-fA-F]*$/.test(trimmed) ? `${trimmed.length} characters` : 'characters that are not hexadecimal'
    throw configError(`agora: ${name} must be 32 hexadecimal characters, but it has ${what}; copy it from Agora Console`)
  }
  return trimmed
}
