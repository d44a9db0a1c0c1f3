import { configError, readAdapterOptions, readCredential } from '@calltoken/core/provider'

/** The credentials an access token is signed with, checked and trimmed. */
export interface TwilioCredentials {
  readonly accountSid: string
  readonly apiKeySid: string
  readonly apiKeySecret: string
  readonly region?: string
}

// Twilio's own SID patterns (REST API reference): two upper-case letters, then 32 hex digits.
const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/
const API_KEY_SID = /^SK[0-9a-fA-F]{32}$/

// Twilio region ids are lower case: us1, us2, ie1, au1, jp1, sg1, br1, de1, in1.
const REGION = /^[a-z]{2}[0-9]{1,2}$/

const OPTIONS = {
  provider: 'twilio',
  known: ['accountSid', 'apiKeySid', 'apiKeySecret', 'region'],
  required: ['accountSid', 'apiKeySid', 'apiKeySecret'],
} as const

/**
 * The shortest API key secret accepted. Twilio shows a 32-character secret (letters and digits) when a key is created;
 * it documents no length, so only shorter values are refused.
 */
const MIN_SECRET_LENGTH = 32

const SWAP_HINT = 'accountSid is the Account SID (AC…) and apiKeySid the API key SID (SK…); are the two swapped?'

/**
 * Checks the factory options once, so a wrong credential fails at start-up instead of as Twilio error 20101/20103
 * at the first connect. Messages name the option and never contain its value.
 */
export function readCredentials(options: unknown): TwilioCredentials {
  // authToken first: it is a real Twilio credential, so it gets its own message rather than "unknown option".
  if (typeof options === 'object' && options !== null && Object.hasOwn(options, 'authToken')) {
    throw configError(
      'twilio: authToken is not used; access tokens are signed with an API key secret (apiKeySecret), never with the account Auth Token',
    )
  }
  const record = readAdapterOptions(options, OPTIONS)

  const accountSid = readSid(record.accountSid, 'accountSid')
  const apiKeySid = readSid(record.apiKeySid, 'apiKeySid')
  const apiKeySecret = readSecret(record.apiKeySecret)
  const region = record.region === undefined ? undefined : readRegion(record.region)
  return region === undefined ? { accountSid, apiKeySid, apiKeySecret } : { accountSid, apiKeySid, apiKeySecret, region }
}

function readSid(value: unknown, name: 'accountSid' | 'apiKeySid'): string {
  const [prefix, pattern, other, otherPattern, what] =
    name === 'accountSid'
      ? (['AC', ACCOUNT_SID, 'SK', API_KEY_SID, 'Account SID'] as const)
      : (['SK', API_KEY_SID, 'AC', ACCOUNT_SID, 'API key SID'] as const)
  if (typeof value !== 'string' || value.trim() === '') {
    throw configError(`twilio: ${name} is required (the ${what}, "${prefix}" followed by 32 hex digits)`)
  }
  const sid = value.trim()
  if (pattern.test(sid)) return sid
  if (otherPattern.test(sid)) {
    throw configError(`twilio: ${name} holds a SID that starts with ${other}, not ${prefix}. ${SWAP_HINT}`)
  }
  throw configError(`twilio: ${name} must be the ${what}: "${prefix}" followed by 32 hex digits, 34 characters in all`)
}

function readSecret(value: unknown): string {
  const secret = readCredential(value, {
    provider: 'twilio',
    name: 'apiKeySecret',
    envName: 'TWILIO_API_KEY_SECRET',
    source: 'the API key you created (its secret, not the account Auth Token)',
    note: 'it is the secret shown once when the API key was created, not the account Auth Token',
    minLength: MIN_SECRET_LENGTH,
  })
  if (ACCOUNT_SID.test(secret) || API_KEY_SID.test(secret)) {
    throw configError('twilio: apiKeySecret holds a SID; it must be the secret of the API key named by apiKeySid')
  }
  return secret
}

function readRegion(value: unknown): string {
  const region = typeof value === 'string' ? value.trim() : ''
  if (region === '') throw configError('twilio: region must be a Twilio region id such as us1; leave it out for the default')
  if (REGION.test(region)) return region
  if (REGION.test(region.toLowerCase())) throw configError('twilio: region must be written in lower case, e.g. us1')
  throw configError('twilio: region must be a Twilio region id such as us1, ie1 or au1 (not an edge location such as dublin)')
}
