import { createCallToken, definePolicy, isCallTokenError } from '@calltoken/core'
import { stream } from '@calltoken/stream'
import { expectNoSecret, fixedClock } from '@calltoken/test-kit'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'

const apiSecret = 'gaq94va8p7vdfxdsr15gnfjznqt1ztjri18l9ptmgif5b916l9dmhei6b16e9h75'
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
    expect((await stream({ apiKey: 'key123', apiSecret }).verify(issued.token, { now })).userId).toBe('alice')
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
    ['key copied into the secret', { apiKey: 'key123', apiSecret: ' key123 ' }, 'stream: apiKey and apiSecret are the same value; one of them is wrong'],
    ['bad roleMap value', { apiKey: 'key123', apiSecret, roleMap: { member: 'call member' } }, 'stream: roleMap.member must be a Stream role name (letters, digits, _ and -)'],
  ])('rejects %s at creation with a message that never echoes the secret', (_, options, message) => {
    const error = configFailure(() => stream(options as never))
    expect(error.message).toBe(message)
    expectNoSecret(error, [apiSecret, 'abc def', 'your_stream_api_secret_here'])
  })
})

describe('stream() options', () => {
  it('rejects a misspelt key, naming the known options and the one it meant, without the value', () => {
    const error = configFailure(() => stream({ apiKey: 'key123', apiSecert: apiSecret } as never))
    expect(error.message).toBe('stream: unknown option "apiSecert" (did you mean apiSecret?); the options are apiKey, apiSecret, roleMap')
    expectNoSecret(error, [apiSecret])
  })

  it('rejects any other unknown key, and a call without an options object', () => {
    expect(configFailure(() => stream({ apiKey: 'key123', apiSecret, expiresIn: 3600 } as never)).message).toBe(
      'stream: unknown option "expiresIn"; the options are apiKey, apiSecret, roleMap',
    )
    expect(configFailure(() => stream(undefined as never)).message).toBe('stream: pass { apiKey, apiSecret }')
  })

  it.each(['k9z', apiSecret.slice(0, 31)])('rejects a secret shorter than 32 characters (%j) without echoing it', (short) => {
    const error = configFailure(() => stream({ apiKey: 'key123', apiSecret: short }))
    expect(error.message).toBe(
      `stream: apiSecret is too short (${short.length} characters; a real one has at least 32); copy the whole value from the Stream dashboard`,
    )
    expectNoSecret(error, [short])
  })

  it('accepts a secret of 32 characters and one of the 64 the dashboard issues', () => {
    expect(stream({ apiKey: 'key123', apiSecret: apiSecret.slice(0, 32) }).id).toBe('stream')
    expect(stream({ apiKey: 'key123', apiSecret }).id).toBe('stream')
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
  it('rejects JWTs that are not Stream tokens', async () => {
    const provider = stream({ apiKey: 'key123', apiSecret })
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
    const unsigned = (payload: unknown) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}.c2ln`
    for (const payload of [{ iat: 1, exp: 2 }, { user_id: 'a', iat: 1.5, exp: 2 }, { user_id: 'a', iat: 1, exp: 2, call_cids: ['nocolon'] }, { user_id: 'a', iat: 1, exp: 2, call_cids: 'default:c' }]) {
      expect(() => provider.decode(unsigned(payload))).toThrow(expect.objectContaining({ code: 'ERR_CALLTOKEN_INVALID_TOKEN' }))
    }
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ user_id: 'a', iat: 1, exp: 9e9 })}.`
    await expect(provider.verify(none)).rejects.toThrow(expect.objectContaining({ code: 'ERR_CALLTOKEN_INVALID_TOKEN' }))
  })
})
