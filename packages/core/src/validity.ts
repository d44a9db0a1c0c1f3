import { configError, validationError } from './errors'
import type { Policy } from './policy'
import type { ProviderLimits } from './types'

// Seconds since 1970 are ~1.7e9 today: a "validity" that large is a timestamp passed by mistake.
export const LOOKS_LIKE_TIMESTAMP = 1e9

export interface ValidityRange {
  readonly minSeconds: number
  readonly maxSeconds: number
  readonly defaultSeconds: number
  readonly clamp: boolean
}

/** The policy's range intersected with the provider's own; an empty range is a configuration error. */
export function effectiveRange(policy: Policy, providerId: string, limits: ProviderLimits): ValidityRange {
  const minSeconds = Math.max(policy.validity.minSeconds, limits.minValiditySeconds)
  const maxSeconds = Math.min(policy.validity.maxSeconds, limits.maxValiditySeconds)
  if (minSeconds > maxSeconds) {
    throw configError(
      `The policy's validity range (${policy.validity.minSeconds}..${policy.validity.maxSeconds} s) does not overlap ${providerId}'s (${limits.minValiditySeconds}..${limits.maxValiditySeconds} s)`,
    )
  }
  const defaultSeconds = Math.min(Math.max(policy.validity.defaultSeconds, minSeconds), maxSeconds)
  return { minSeconds, maxSeconds, defaultSeconds, clamp: policy.validity.clamp }
}

export function resolveValidity(requested: number | undefined, range: ValidityRange, providerId: string): number {
  if (requested === undefined) return range.defaultSeconds
  if (requested >= range.minSeconds && requested <= range.maxSeconds) return requested
  if (range.clamp) return Math.min(Math.max(requested, range.minSeconds), range.maxSeconds)
  const message = `validityInSeconds must be between ${range.minSeconds} and ${range.maxSeconds} seconds for ${providerId} (got ${requested})`
  throw validationError([{ path: 'validityInSeconds', message }], 'ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE')
}
