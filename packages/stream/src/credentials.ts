import { configError } from '@calltoken/core'

// Values copied from a README or .env.example instead of the dashboard.
const PLACEHOLDER = /^(your[_-].*|.*[_-]here|<.*>|x{3,}|changeme|change[_-]me|placeholder|todo|secret|api[_-]?(key|secret))$/i

/** Trims a credential and rejects empty and placeholder values, naming the option and never echoing the value. */
export function readCredential(value: unknown, name: string, envName: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw configError(`stream: ${name} is required (usually from ${envName})`)
  }
  const trimmed = value.trim()
  if (PLACEHOLDER.test(trimmed)) {
    throw configError(`stream: ${name} looks like a placeholder, not a real value; copy it from the Stream dashboard`)
  }
  if (/\s/.test(trimmed)) throw configError(`stream: ${name} contains whitespace; check how ${envName} is quoted`)
  return trimmed
}
