import { configError } from './errors'

export interface CredentialOptions {
  /** The adapter, first word of every message: "stream". */
  provider: string
  /** The option: "apiSecret". */
  name: string
  /** Where the value usually comes from: "STREAM_API_SECRET". */
  envName: string
  /** Where a real value is found: "the Stream dashboard". */
  source: string
  /** Said when the value is missing, e.g. which of two look-alike secrets it is. */
  note?: string
}

// Values copied from a README or .env.example instead of the provider's console.
const PLACEHOLDER =
  /^(your[_-].*|.*[_-]here|<.*>|\$\{.*\}|x{3,}|\*{3,}|changeme|change[_-]me|placeholder|todo|secret|api[_-]?(key[_-]?)?secret|api[_-]?key|app[_-]?(id|certificate)|auth[_-]?token)$/i

/**
 * A credential from configuration, trimmed, or ERR_CALLTOKEN_INVALID_CONFIG when it is missing, a placeholder,
 * quoted or has whitespace inside. Messages name the option and never contain the value.
 */
export function readCredential(value: unknown, { provider, name, envName, source, note }: CredentialOptions): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw configError(`${provider}: ${name} is required (usually from ${envName})${note ? `; ${note}` : ''}`)
  }
  const trimmed = value.trim()
  if (PLACEHOLDER.test(trimmed) || /^(.)\1+$/.test(trimmed)) {
    throw configError(`${provider}: ${name} looks like a placeholder, not a real value; copy it from ${source}`)
  }
  if (/^["'`]|["'`]$/.test(trimmed)) throw configError(`${provider}: ${name} contains quotes; check how ${envName} is quoted`)
  if (/\s/.test(trimmed)) throw configError(`${provider}: ${name} contains whitespace; check how ${envName} is quoted`)
  return trimmed
}
