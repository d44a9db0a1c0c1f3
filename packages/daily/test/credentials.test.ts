import { isCallTokenError, type CallTokenError } from '@calltoken/core'
import { daily, type DailyOptions } from '@calltoken/daily'
import { errorText } from '@calltoken/test-kit'
import { describe, expect, it } from 'vitest'
import { API_KEY, credentials, DOMAIN_ID } from './fixtures'

function configErrorOf(options: unknown): CallTokenError {
  try {
    daily(options as DailyOptions)
  } catch (error) {
    expect(isCallTokenError(error)).toBe(true)
    expect((error as CallTokenError).code).toBe('ERR_CALLTOKEN_INVALID_CONFIG')
    expect(errorText(error)).not.toContain(API_KEY)
    return error as CallTokenError
  }
  throw new Error('expected ERR_CALLTOKEN_INVALID_CONFIG, but daily() accepted the options')
}

describe('daily(): options are checked at creation', () => {
  it('accepts a 64-hex API key and a UUID domain id (either case, trimmed), and a domain name', () => {
    expect(daily({ apiKey: ` ${API_KEY.toUpperCase()} `, domainId: ` ${DOMAIN_ID.toUpperCase()}` }).limits.userTokenNeedsCall).toBe(true)
    expect(daily({ ...credentials, domainName: 'acme-video' }).id).toBe('daily')
  })

  it('names what is wrong, never the value', () => {
    expect(configErrorOf({ domainId: DOMAIN_ID }).message).toMatch(/apiKey is required \(usually from DAILY_API_KEY\)/)
    expect(configErrorOf({ ...credentials, apiKey: API_KEY.slice(0, 63) }).message).toMatch(/apiKey must be the domain's API key: 64 hex digits/)
    expect(configErrorOf({ ...credentials, apiKey: `${API_KEY.slice(0, 63)}g` }).message).toMatch(/64 hex digits/)
    expect(configErrorOf({ apiKey: API_KEY }).message).toMatch(/domainId must be the domain id, a UUID/)
    expect(configErrorOf({ ...credentials, domainId: 'acme' }).message).toMatch(/domainId must be the domain id, a UUID/)
    expect(configErrorOf({ ...credentials, domainName: 'acme.example.com' }).message).toMatch(/domainName must be the domain's name/)
    expect(configErrorOf({ ...credentials, roleMap: { admin: 'host' } }).message).toMatch(/roleMap.admin must be 'owner' or 'participant'/)
    expect(configErrorOf({ ...credentials, domain_id: DOMAIN_ID }).message).toMatch(/unknown option "domain_id" \(did you mean domainId\?\)/)
  })
})
