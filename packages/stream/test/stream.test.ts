import { createCallToken, definePolicy, isCallTokenError } from '@calltoken/core'
import { stream } from '@calltoken/stream'
import { expectNoSecret, fixedClock } from '@calltoken/test-kit'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'

const apiSecret = 'unit-secret-2b8e4f6a9c'
const now = fixedClock()

function configFailure(make: () => unknown): Error {
  try {
    make()
  } catch (error) {
    expect(isCallTokenError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' })
    return error as Error
  }
  throw new Error('expected ERR_CALLTOKEN_INVALID_CONFIG')
}

describe('stream() credentials', () => {
  it('trims them', async () => {
    const provider = stream({ apiKey: '  key123 \n', apiSecret: `\t${apiSecret}  ` })
    const issued = await createCallToken({ userId: 'alice', callId: 'c1' }, { provider, now })
    expect(issued.connect.apiKey).toBe('key123')
    expect(stream({ apiKey: 'key123', apiSecret }).verify(issued.token, { now }).userId).toBe('alice')
  })

  it.each([
    ['empty key', { apiKey: '', apiSecret }, 'stream: apiKey is required (usually from STREAM_API_KEY)'],
    ['blank secret', { apiKey: 'key123', apiSecret: '   ' }, 'stream: apiSecret is required (usually from STREAM_API_SECRET)'],
    ['missing secret', { apiKey: 'key123' }, 'stream: apiSecret is required (usually from STREAM_API_SECRET)'],
    ['placeholder secret', { apiKey: 'key123', apiSecret: 'your_stream_api_secret_here' }, 'stream: apiSecret looks like a placeholder, not a real value; copy it from the Stream dashboard'],
    ['placeholder key', { apiKey: 'your_stream_api_key', apiSecret }, 'stream: apiKey looks like a placeholder, not a real value; copy it from the Stream dashboard'],
    ['angle-bracket placeholder', { apiKey: 'key123', apiSecret: '<STREAM_SECRET>' }, 'stream: apiSecret looks like a placeholder, not a real value; copy it from the Stream dashboard'],
    ['secret with inner whitespace', { apiKey: 'key123', apiSecret: 'abc def' }, 'stream: apiSecret contains whitespace; check how STREAM_API_SECRET is quoted'],
    ['key equal to secret', { apiKey: apiSecret, apiSecret }, 'stream: apiKey and apiSecret are the same value; one of them is wrong'],
    ['bad roleMap value', { apiKey: 'key123', apiSecret, roleMap: { member: 'call member' } }, 'stream: roleMap.member must be a Stream role name (letters, digits, _ and -)'],
  ])('rejects %s at creation with a message that never echoes the secret', (_, options, message) => {
    const error = configFailure(() => stream(options as never))
    expect(error.message).toBe(message)
    expectNoSecret(error, [apiSecret, 'abc def', 'your_stream_api_secret_here'])
  })
})

describe('stream() roles', () => {
  it('roleMap maps custom policy roles; unmapped custom roles keep their name', async () => {
    const provider = stream({ apiKey: 'key123', apiSecret, roleMap: { viewer: 'call-member' } })
    const policy = definePolicy({ roles: { viewer: ['join-call'], host: ['join-call', 'end-call'] } })
    const role = async (r: string) => decodeJwt((await createCallToken({ userId: 'a', callId: 'c', role: r }, { provider, policy, now })).token).role
    expect(await role('viewer')).toBe('call-member')
    expect(await role('host')).toBe('host')
    expect(await role('member')).toBe('user')
  })

  it('looks roles up safely: names of Object.prototype members are ordinary role names', () => {
    const provider = stream({ apiKey: 'key123', apiSecret })
    expect(provider.mapRole('constructor', new Set())).toBe('constructor')
    expect(provider.mapRole('toString', new Set())).toBe('toString')
    expect(provider.mapRole('__proto__', new Set())).toBe('__proto__')
  })
})

describe('stream decode/verify', () => {
  it('rejects JWTs that are not Stream tokens', () => {
    const provider = stream({ apiKey: 'key123', apiSecret })
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
    const unsigned = (payload: unknown) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}.c2ln`
    for (const payload of [{ iat: 1, exp: 2 }, { user_id: 'a', iat: 1.5, exp: 2 }, { user_id: 'a', iat: 1, exp: 2, call_cids: ['nocolon'] }, { user_id: 'a', iat: 1, exp: 2, call_cids: 'default:c' }]) {
      expect(() => provider.decode(unsigned(payload))).toThrow(expect.objectContaining({ code: 'ERR_CALLTOKEN_INVALID_TOKEN' }))
    }
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ user_id: 'a', iat: 1, exp: 9e9 })}.`
    expect(() => provider.verify(none)).toThrow(expect.objectContaining({ code: 'ERR_CALLTOKEN_INVALID_TOKEN' }))
  })
})
