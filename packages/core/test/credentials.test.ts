import { describe, expect, it } from 'vitest'
import { readAdapterOptions, readCredential } from '../src/provider/index'

const options = { provider: 'acme', name: 'apiSecret', envName: 'ACME_SECRET', source: 'the Acme console' }

function failure(value: unknown): string {
  try {
    readCredential(value, options)
  } catch (error) {
    expect(error).toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' })
    const message = (error as Error).message
    if (typeof value === 'string' && value.trim().length > 3) expect(message).not.toContain(value.trim())
    return message
  }
  throw new Error('expected ERR_CALLTOKEN_INVALID_CONFIG')
}

describe('readCredential', () => {
  it('trims a real value', () => {
    expect(readCredential('  s3cr3t-Value_1 \n', options)).toBe('s3cr3t-Value_1')
  })

  it.each([undefined, null, 42, '', '   '])('requires a value (%s)', (value) => {
    expect(failure(value)).toBe('acme: apiSecret is required (usually from ACME_SECRET)')
  })

  it('adds the note to the "required" message', () => {
    expect(() => readCredential('', { ...options, note: 'not the Auth Token' })).toThrow('acme: apiSecret is required (usually from ACME_SECRET); not the Auth Token')
  })

  it.each(['your_acme_secret_here', 'YOUR-SECRET', '<ACME_SECRET>', '${ACME_SECRET}', 'xxxxxxxx', '********', 'changeme', 'secret', 'api_secret', '00000000000000000000000000000000'])(
    'rejects the placeholder %s without echoing it',
    (value) => {
      expect(failure(value)).toBe('acme: apiSecret looks like a placeholder, not a real value; copy it from the Acme console')
    },
  )

  it('rejects quotes and inner whitespace, which come from a mis-quoted .env line', () => {
    expect(failure('"s3cr3t-value"')).toBe('acme: apiSecret contains quotes; check how ACME_SECRET is quoted')
    expect(failure("s3cr3t-value'")).toBe('acme: apiSecret contains quotes; check how ACME_SECRET is quoted')
    expect(failure('s3cr3t value')).toBe('acme: apiSecret contains whitespace; check how ACME_SECRET is quoted')
  })
})

describe('readCredential minLength', () => {
  const withMinimum = { ...options, minLength: 32 }

  it('accepts a value of exactly minLength characters, counted after trimming', () => {
    const value = 'k'.repeat(31) + 'q'
    expect(readCredential(`  ${value}\n`, withMinimum)).toBe(value)
  })

  it.each(['k9z', 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d', '  k9z  '])('refuses %j as too short without echoing it', (value) => {
    let message = ''
    try {
      readCredential(value, withMinimum)
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' })
      message = (error as Error).message
    }
    expect(message).toBe(
      `acme: apiSecret is too short (${value.trim().length} characters; a real one has at least 32); copy the whole value from the Acme console`,
    )
    expect(message).not.toContain(value.trim())
  })

  it('keeps the other checks first, and no minimum without minLength', () => {
    expect(() => readCredential('secret', withMinimum)).toThrow(/looks like a placeholder/)
    expect(() => readCredential('ab cd', withMinimum)).toThrow(/contains whitespace/)
    expect(readCredential('k9z', options)).toBe('k9z')
  })
})

describe('readAdapterOptions', () => {
  const spec = { provider: 'acme', known: ['apiKey', 'apiSecret', 'region'], required: ['apiKey', 'apiSecret'] }

  function optionsFailure(value: unknown): string {
    try {
      readAdapterOptions(value, spec)
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' })
      return (error as Error).message
    }
    throw new Error('expected ERR_CALLTOKEN_INVALID_CONFIG')
  }

  it('returns the object when every key is known (missing ones are for the adapter to report)', () => {
    const options = { apiKey: 'k', apiSecret: 's' }
    expect(readAdapterOptions(options, spec)).toBe(options)
    expect(readAdapterOptions({}, spec)).toEqual({})
  })

  it.each([undefined, null, 'apiKey', 42, ['apiKey']])('asks for an options object (%j)', (value) => {
    expect(optionsFailure(value)).toBe('acme: pass { apiKey, apiSecret }')
  })

  it('names an unknown key and lists the known ones, never the value', () => {
    const message = optionsFailure({ apiKey: 'k', expiresIn: 'v4lue-0f-the-option' })
    expect(message).toBe('acme: unknown option "expiresIn"; the options are apiKey, apiSecret, region')
    expect(message).not.toContain('v4lue-0f-the-option')
  })

  it.each([
    ['apiSecert', 'apiSecret'], // two neighbours swapped: one edit
    ['apiSecrett', 'apiSecret'], // one added
    ['apiScret', 'apiSecret'], // one missing
    ['apiSekrit', 'apiSecret'], // two replaced
    ['APIKEY', 'apiKey'], // case only
    ['apikey', 'apiKey'],
    ['regoin', 'region'],
  ])('hints at the known option a near miss (%s) meant', (key, meant) => {
    expect(optionsFailure({ [key]: 'x' })).toBe(`acme: unknown option "${key}" (did you mean ${meant}?); the options are apiKey, apiSecret, region`)
  })

  it('gives no hint beyond two edits, and every candidate at the same distance', () => {
    expect(optionsFailure({ secretKey: 'x' })).toBe('acme: unknown option "secretKey"; the options are apiKey, apiSecret, region')
    expect(optionsFailure({ apiSecretKey: 'x' })).toBe('acme: unknown option "apiSecretKey"; the options are apiKey, apiSecret, region')
    const tie = readAdapterOptions.bind(null, { ab: 1 }, { provider: 'acme', known: ['a', 'b', 'abcdef'], required: ['a'] })
    expect(tie).toThrow('acme: unknown option "ab" (did you mean a or b?); the options are a, b, abcdef')
  })

  it('names every unknown key, quoted so a key with a newline cannot split the message', () => {
    expect(optionsFailure({ apiKey: 'k', apiSecert: 's', 'line\nbreak': 1 })).toBe(
      'acme: unknown options "apiSecert" (did you mean apiSecret?), "line\\nbreak"; the options are apiKey, apiSecret, region',
    )
  })
})

describe('readRoleMap', () => {
  it("reads a roleMap into a Map of the provider's roles, refusing anything else with the allowed values named", async () => {
    const { readRoleMap } = await import('../src/role-map')
    expect(readRoleMap('acme', undefined, ['host', 'guest'])).toEqual(new Map())
    expect(readRoleMap('acme', { moderator: 'host', constructor: 'guest' }, ['host', 'guest'])).toEqual(new Map([['moderator', 'host'], ['constructor', 'guest']]))
    expect(() => readRoleMap('acme', ['host'], ['host', 'guest'])).toThrow("acme: roleMap must be an object from policy role to 'host' or 'guest'")
    expect(() => readRoleMap('acme', { admin: 'root' }, ['a', 'b', 'c'])).toThrow("acme: roleMap.admin must be 'a', 'b' or 'c'")
    expect(readRoleMap('acme', {}, ['host']).get('toString')).toBeUndefined()
  })
})
