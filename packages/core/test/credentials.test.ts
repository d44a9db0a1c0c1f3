import { describe, expect, it } from 'vitest'
import { readCredential } from '../src/index'

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
