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
  /**
   * The fewest characters a real value has: a shorter one is cut off or made up. Set it no higher than the shortest
   * value the provider issues. Default: no minimum.
   */
  minLength?: number
}

// Values copied from a README or .env.example instead of the provider's console.
const PLACEHOLDER =
  /^(your[_-].*|.*[_-]here|<.*>|\$\{.*\}|x{3,}|\*{3,}|changeme|change[_-]me|placeholder|todo|secret|api[_-]?(key[_-]?)?secret|api[_-]?key|app[_-]?(id|certificate)|auth[_-]?token)$/i

/**
 * A credential from configuration, trimmed, or ERR_CALLTOKEN_INVALID_CONFIG when it is missing, a placeholder,
 * quoted, has whitespace inside or is shorter than `minLength`. Messages name the option and never contain the value.
 *
 * @example
 * const apiSecret = readCredential(options.apiSecret, {
 *   provider: 'acme', name: 'apiSecret', envName: 'ACME_API_SECRET', source: 'the Acme console', minLength: 32,
 * })
 */
export function readCredential(value: unknown, { provider, name, envName, source, note, minLength }: CredentialOptions): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw configError(`${provider}: ${name} is required (usually from ${envName})${note ? `; ${note}` : ''}`)
  }
  const trimmed = value.trim()
  if (PLACEHOLDER.test(trimmed) || /^(.)\1+$/.test(trimmed)) {
    throw configError(`${provider}: ${name} looks like a placeholder, not a real value; copy it from ${source}`)
  }
  if (/^["'`]|["'`]$/.test(trimmed)) throw configError(`${provider}: ${name} contains quotes; check how ${envName} is quoted`)
  if (/\s/.test(trimmed)) throw configError(`${provider}: ${name} contains whitespace; check how ${envName} is quoted`)
  if (minLength !== undefined && trimmed.length < minLength) {
    throw configError(
      `${provider}: ${name} is too short (${trimmed.length} characters; a real one has at least ${minLength}); copy the whole value from ${source}`,
    )
  }
  return trimmed
}

export interface AdapterOptionsSpec {
  /** The adapter, first word of every message: "stream". */
  provider: string
  /** Every option the adapter reads, in the order the messages list them. */
  known: readonly string[]
  /** The options shown when no options object was passed: ["apiKey", "apiSecret"]. */
  required: readonly string[]
}

/**
 * An adapter's options object, or ERR_CALLTOKEN_INVALID_CONFIG when it is not an object or has a key the adapter does
 * not know (a misspelt key would otherwise be ignored, and a default used instead). The message names the unknown
 * keys, a known option within two edits of each ("did you mean …?") and every known option; never a value.
 *
 * @example
 * const record = readAdapterOptions(options, { provider: 'acme', known: ['apiKey', 'apiSecret'], required: ['apiKey', 'apiSecret'] })
 * // acme({ apiKey, apiSecert }) → 'acme: unknown option "apiSecert" (did you mean apiSecret?); the options are apiKey, apiSecret'
 */
export function readAdapterOptions(options: unknown, { provider, known, required }: AdapterOptionsSpec): Readonly<Record<string, unknown>> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw configError(`${provider}: pass { ${required.join(', ')} }`)
  }
  const record = options as Record<string, unknown>
  const unknown = Object.keys(record).filter((key) => !known.includes(key))
  if (unknown.length > 0) {
    const named = unknown.map((key) => {
      const near = nearOptions(key, known)
      return `${JSON.stringify(key)}${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}`
    })
    throw configError(`${provider}: unknown option${unknown.length > 1 ? 's' : ''} ${named.join(', ')}; the options are ${known.join(', ')}`)
  }
  return record
}

// Typos worth a hint: at most two edits (insert, delete, substitute, swap two neighbours), case ignored.
const MAX_EDITS = 2

function nearOptions(key: string, known: readonly string[]): string[] {
  // A long key is no typo of a short option; skip the distance work for it.
  const candidates = known
    .filter((name) => Math.abs(name.length - key.length) <= MAX_EDITS)
    .map((name) => ({ name, edits: editDistance(key.toLowerCase(), name.toLowerCase()) }))
    .filter(({ edits }) => edits <= MAX_EDITS)
  const fewest = Math.min(...candidates.map(({ edits }) => edits))
  return candidates.filter(({ edits }) => edits === fewest).map(({ name }) => name)
}

/** Optimal string alignment distance: Levenshtein plus the swap of two adjacent characters as one edit. */
function editDistance(a: string, b: string): number {
  let before: number[] = []
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1)
      current.push(best)
    }
    before = previous
    previous = current
  }
  return previous[b.length]!
}
