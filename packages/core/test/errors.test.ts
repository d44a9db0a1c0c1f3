import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { CallTokenError, ERROR_STATUS, isCallTokenError, type CallTokenErrorCode } from '../src/index'

const expectedStatus: Record<CallTokenErrorCode, number> = {
  ERR_CALLTOKEN_INVALID_INPUT: 422,
  ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE: 422,
  ERR_CALLTOKEN_MALFORMED_BODY: 400,
  ERR_CALLTOKEN_UNSUPPORTED_MEDIA_TYPE: 415,
  ERR_CALLTOKEN_BODY_TOO_LARGE: 413,
  ERR_CALLTOKEN_NOT_FOUND: 404,
  ERR_CALLTOKEN_UNAUTHENTICATED: 401,
  ERR_CALLTOKEN_INVALID_TOKEN: 401,
  ERR_CALLTOKEN_TOKEN_EXPIRED: 401,
  ERR_CALLTOKEN_INVALID_SIGNATURE: 401,
  ERR_CALLTOKEN_FORBIDDEN: 403,
  ERR_CALLTOKEN_ROLE_NOT_ALLOWED: 403,
  ERR_CALLTOKEN_RATE_LIMITED: 429,
  ERR_CALLTOKEN_INVALID_CONFIG: 500,
  ERR_CALLTOKEN_PROVIDER_FAILED: 500,
  ERR_CALLTOKEN_AUTH_UNAVAILABLE: 503,
  ERR_CALLTOKEN_RATE_LIMIT_UNAVAILABLE: 503,
}

describe('CallTokenError', () => {
  it('has exactly these ERR_CALLTOKEN_ codes, each with its HTTP status', () => {
    expect(ERROR_STATUS).toEqual(expectedStatus)
    for (const [code, status] of Object.entries(expectedStatus)) {
      const error = new CallTokenError(code as CallTokenErrorCode, 'message')
      expect(error).toBeInstanceOf(Error)
      expect(error).toMatchObject({ name: 'CallTokenError', code, status, message: 'message' })
      expect(isCallTokenError(error)).toBe(true)
    }
  })

  it('carries frozen issues and a cause', () => {
    const cause = new Error('low level')
    const error = new CallTokenError('ERR_CALLTOKEN_INVALID_INPUT', 'Validation failed', { issues: [{ path: 'callId', message: 'callId is required' }], cause })
    expect(error.issues).toEqual([{ path: 'callId', message: 'callId is required' }])
    expect(Object.isFrozen(error.issues)).toBe(true)
    expect(error.cause).toBe(cause)
  })

  it('isCallTokenError recognises an error from a second copy of core, where instanceof cannot', async () => {
    vi.resetModules()
    // A query suffix makes vite load the module a second time, as a CJS + ESM pair would.
    const secondCopy: typeof import('../src/errors') = await import('../src/errors?copy=2' as string)
    const foreign = new secondCopy.CallTokenError('ERR_CALLTOKEN_FORBIDDEN', 'from the other copy')
    expect(secondCopy.CallTokenError).not.toBe(CallTokenError)
    expect(foreign instanceof CallTokenError).toBe(false)
    expect(isCallTokenError(foreign)).toBe(true)
    expect(secondCopy.isCallTokenError(new CallTokenError('ERR_CALLTOKEN_FORBIDDEN', 'x'))).toBe(true)
  })

  it('isCallTokenError rejects look-alikes', () => {
    expect(isCallTokenError(new Error('ERR_CALLTOKEN_INVALID_INPUT'))).toBe(false)
    expect(isCallTokenError({ code: 'ERR_CALLTOKEN_INVALID_INPUT', status: 422 })).toBe(false)
    expect(isCallTokenError(null)).toBe(false)
    expect(isCallTokenError('ERR_CALLTOKEN_INVALID_INPUT')).toBe(false)
  })
})

describe("README's error code table", () => {
  it('lists exactly the codes and statuses of ERROR_STATUS', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
    const table = readme.slice(readme.indexOf('<!-- error-codes -->'), readme.indexOf('<!-- /error-codes -->'))
    const rows = [...table.matchAll(/^\| `(ERR_CALLTOKEN_[A-Z_]+)` \| (\d{3}) \|/gm)].map(([, code, status]) => [code, Number(status)])
    expect(rows.length).toBeGreaterThan(0)
    expect(Object.fromEntries(rows)).toEqual(ERROR_STATUS)
    expect(rows).toHaveLength(Object.keys(ERROR_STATUS).length) // no code listed twice
  })
})
