import { isCallTokenError, type CallTokenError } from '@calltoken/core'
import { errorText } from '@calltoken/test-kit'
import { twilio, type TwilioOptions } from '@calltoken/twilio'
import { describe, expect, it } from 'vitest'
import { ACCOUNT_SID, API_KEY_SECRET, API_KEY_SID, credentials } from './fixtures'

/** The INVALID_CONFIG error `twilio(options)` throws; fails when it does not throw one. */
function configErrorOf(options: unknown): CallTokenError {
  try {
    twilio(options as TwilioOptions)
  } catch (error) {
    expect(isCallTokenError(error)).toBe(true)
    expect((error as CallTokenError).code).toBe('ERR_CALLTOKEN_INVALID_CONFIG')
    return error as CallTokenError
  }
  throw new Error('expected ERR_CALLTOKEN_INVALID_CONFIG, but twilio() accepted the options')
}

/** Fails when the error shows any of `values` (the secret, or the value that was wrong). */
function expectNotEchoed(error: CallTokenError, values: readonly string[]) {
  const text = errorText(error)
  for (const value of values) if (value.trim() !== '') expect(text).not.toContain(value.trim())
}

const hex32 = 'b5aed9ca12bf5890f37930e63cad6d38'

describe('twilio(): credentials are checked at creation', () => {
  it('accepts well-formed credentials, trimmed, with SIDs in either hex case', () => {
    const provider = twilio({
      accountSid: `  ${ACCOUNT_SID}\n`,
      apiKeySid: `SK${hex32.toUpperCase()}`,
      apiKeySecret: ` ${API_KEY_SECRET} `,
    })
    expect(provider.id).toBe('twilio')
    expect(provider.redact(`x ${API_KEY_SECRET} y`)).toBe('x [redacted] y')
  })

  const badAccountSids = [
    `SC${hex32}`, // wrong prefix
    `ac${hex32}`, // Twilio's prefixes are upper case
    `AC${hex32}0`, // 33 hex digits
    `AC${hex32.slice(1)}`, // 31 hex digits
    `AC${hex32.slice(1)}g`, // not hex
    hex32, // no prefix
    `AC-${hex32}`,
  ]
  it.each(badAccountSids)('rejects accountSid %s without echoing it', (accountSid) => {
    const error = configErrorOf({ ...credentials, accountSid })
    expect(error.message).toMatch(/accountSid must be the Account SID: "AC" followed by 32 hex digits/)
    expectNotEchoed(error, [accountSid, API_KEY_SECRET])
  })

  const badApiKeySids = [`SK${hex32}0`, `SK${hex32.slice(2)}`, `SK${hex32.slice(1)}z`, `sk${hex32}`, `US${hex32}`]
  it.each(badApiKeySids)('rejects apiKeySid %s without echoing it', (apiKeySid) => {
    const error = configErrorOf({ ...credentials, apiKeySid })
    expect(error.message).toMatch(/apiKeySid must be the API key SID: "SK" followed by 32 hex digits/)
    expectNotEchoed(error, [apiKeySid, API_KEY_SECRET])
  })

  it('says so when the two SIDs are swapped', () => {
    const swapped = configErrorOf({ ...credentials, accountSid: API_KEY_SID, apiKeySid: ACCOUNT_SID })
    expect(swapped.message).toMatch(/accountSid holds a SID that starts with SK, not AC.*swapped/)
    const keyIsAccount = configErrorOf({ ...credentials, apiKeySid: ACCOUNT_SID })
    expect(keyIsAccount.message).toMatch(/apiKeySid holds a SID that starts with AC, not SK.*swapped/)
    for (const error of [swapped, keyIsAccount]) expectNotEchoed(error, [ACCOUNT_SID, API_KEY_SID, API_KEY_SECRET])
  })

  it.each([undefined, null, '', '   ', 42])('requires accountSid and apiKeySid (%s)', (value) => {
    expect(configErrorOf({ ...credentials, accountSid: value }).message).toMatch(/accountSid is required/)
    expect(configErrorOf({ ...credentials, apiKeySid: value }).message).toMatch(/apiKeySid is required/)
  })

  it.each([undefined, null, '', ' \t ', 7])('requires apiKeySecret, and says it is not the Auth Token (%s)', (apiKeySecret) => {
    const error = configErrorOf({ ...credentials, apiKeySecret })
    expect(error.message).toMatch(/apiKeySecret is required/)
    expect(error.message).toMatch(/not the account Auth Token/)
  })

  const placeholders = [
    'your_api_key_secret',
    'your-twilio-api-secret',
    'api_secret_here',
    '<API_KEY_SECRET>',
    '${TWILIO_API_SECRET}',
    'xxxxxxxxxxxxxxxx',
    '********',
    'changeme',
    'secret',
    'apiKeySecret',
    'auth_token',
  ]
  it.each(placeholders)('rejects the placeholder secret %s with a fixed message (so nothing is echoed)', (apiKeySecret) => {
    expect(configErrorOf({ ...credentials, apiKeySecret }).message).toBe(
      'twilio: apiKeySecret looks like a placeholder, not a real value; copy it from the API key you created (its secret, not the account Auth Token)',
    )
  })

  it('rejects a secret with whitespace inside, or a SID passed as the secret, without echoing it', () => {
    const spaced = 'aTBl1PhJnykIjWll 4TOiXKtD1ugxiz6f'
    const withSpace = configErrorOf({ ...credentials, apiKeySecret: spaced })
    expect(withSpace.message).toMatch(/apiKeySecret contains whitespace/)
    expectNotEchoed(withSpace, [spaced, 'aTBl1PhJnykIjWll', '4TOiXKtD1ugxiz6f'])
    for (const sid of [ACCOUNT_SID, API_KEY_SID]) {
      const error = configErrorOf({ ...credentials, apiKeySecret: sid })
      expect(error.message).toMatch(/apiKeySecret holds a SID/)
      expectNotEchoed(error, [sid])
    }
  })

  it('rejects an authToken option with a pointer to the API key secret', () => {
    const authToken = 'f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8'
    const error = configErrorOf({ accountSid: ACCOUNT_SID, apiKeySid: API_KEY_SID, authToken })
    expect(error.message).toMatch(/authToken is not used.*apiKeySecret.*never with the account Auth Token/)
    expectNotEchoed(error, [authToken])
  })

  it('rejects unknown options by name and a missing options object', () => {
    expect(configErrorOf({ ...credentials, apiSecret: API_KEY_SECRET }).message).toMatch(/unknown option "apiSecret"/)
    expect(configErrorOf(undefined).message).toMatch(/pass \{ accountSid, apiKeySid, apiKeySecret \}/)
    expect(configErrorOf('AC…').message).toMatch(/pass \{ accountSid, apiKeySid, apiKeySecret \}/)
  })

  it('rejects a misspelt key, naming the known options and the one it meant, without the value', () => {
    const { apiKeySecret, ...rest } = credentials
    const error = configErrorOf({ ...rest, apiKeySecrett: apiKeySecret })
    expect(error.message).toBe(
      'twilio: unknown option "apiKeySecrett" (did you mean apiKeySecret?); the options are accountSid, apiKeySid, apiKeySecret, region',
    )
    expectNotEchoed(error, [API_KEY_SECRET, ACCOUNT_SID, API_KEY_SID])
    expect(configErrorOf({ ...credentials, apiSecret: API_KEY_SECRET }).message).toBe(
      'twilio: unknown option "apiSecret"; the options are accountSid, apiKeySid, apiKeySecret, region',
    )
  })

  it.each(['q7w', API_KEY_SECRET.slice(0, 31)])('rejects a secret shorter than 32 characters (%j) without echoing it', (apiKeySecret) => {
    const error = configErrorOf({ ...credentials, apiKeySecret })
    expect(error.message).toBe(
      `twilio: apiKeySecret is too short (${apiKeySecret.length} characters; a real one has at least 32); copy the whole value from the API key you created (its secret, not the account Auth Token)`,
    )
    expectNotEchoed(error, [apiKeySecret])
  })

  it('accepts a lower-case Twilio region id, trimmed', () => {
    for (const region of ['us1', 'ie1', 'au1', 'jp1', ' sg1 ']) expect(twilio({ ...credentials, region }).id).toBe('twilio')
  })

  it.each([
    ['US1', /lower case/],
    ['IE1', /lower case/],
    ['', /leave it out/],
    ['  ', /leave it out/],
    ['dublin', /region id such as us1, ie1 or au1/],
    ['us', /region id/],
    ['us-east-1', /region id/],
    ['u1', /region id/],
    ['us123', /region id/],
  ])('rejects the region %j', (region, message) => {
    const error = configErrorOf({ ...credentials, region })
    expect(error.message).toMatch(message)
    expectNotEchoed(error, [API_KEY_SECRET])
  })

  it('rejects a region that is not a string', () => {
    expect(configErrorOf({ ...credentials, region: 1 }).message).toMatch(/region must be a Twilio region id/)
    expect(configErrorOf({ ...credentials, region: null }).message).toMatch(/region must be a Twilio region id/)
  })

  it('never shows the secret in the provider object', () => {
    const provider = twilio(credentials)
    expect(JSON.stringify(provider)).not.toContain(API_KEY_SECRET)
    expect(Object.isFrozen(provider)).toBe(true)
  })
})
