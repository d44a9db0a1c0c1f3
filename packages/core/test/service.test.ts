import { describe, expect, it } from 'vitest'
import {
  CallTokenError,
  createCallToken,
  createTokenService,
  createUserToken,
  definePolicy,
  isCallTokenError,
  type CallTokenErrorCode,
} from '../src/index'
import { defineProvider } from '../src/provider/index'
import { EXAMPLE_SECRET, exampleProvider } from './example-provider'

const NOW_MS = Date.UTC(2026, 10, 24, 12, 0, 0, 750)
const NOW_S = Math.floor(NOW_MS / 1000)
const now = () => NOW_MS
const provider = exampleProvider()

async function failure(action: () => Promise<unknown>, code: CallTokenErrorCode): Promise<CallTokenError> {
  const error = await action().then(
    (value) => {
      throw new Error(`expected ${code}, got ${JSON.stringify(value)}`)
    },
    (e: unknown) => e,
  )
  expect(isCallTokenError(error), String(error)).toBe(true)
  expect((error as CallTokenError).code).toBe(code)
  expect(JSON.stringify(error) + String(error) + String((error as Error).cause)).not.toContain(EXAMPLE_SECRET)
  return error as CallTokenError
}

describe('createCallToken / createUserToken', () => {
  it('returns the token with everything the client needs, and exp = now + validity exactly', async () => {
    const issued = await createCallToken({ userId: 'alice', callId: 'room1', role: 'moderator', validityInSeconds: 7200 }, { provider, now })
    // toStrictEqual: no callType key at all, since this provider has no call types.
    expect(issued).toStrictEqual({
      kind: 'call',
      token: expect.any(String),
      provider: 'example',
      userId: 'alice',
      callId: 'room1',
      role: 'moderator',
      validityInSeconds: 7200,
      issuedAt: new Date(NOW_S * 1000),
      expiresAt: new Date((NOW_S + 7200) * 1000),
      connect: { room: 'room1' },
    })
    const claims = provider.decode(issued.token)
    expect(claims).toMatchObject({ userId: 'alice', callId: 'room1', providerRole: 'x-moderator', expiresAt: NOW_S + 7200 })
  })

  it('backdates the issue time by the clock skew (default 5 s, configurable, 0 allowed)', async () => {
    const decode = async (clockSkewSeconds?: number) =>
      provider.decode((await createUserToken({ userId: 'alice' }, { provider, now, policy: definePolicy({ clockSkewSeconds }) })).token)
    expect(await decode()).toMatchObject({ issuedAt: NOW_S - 5, expiresAt: NOW_S + 3600 })
    expect(await decode(60)).toMatchObject({ issuedAt: NOW_S - 60, expiresAt: NOW_S + 3600 })
    expect(await decode(0)).toMatchObject({ issuedAt: NOW_S, expiresAt: NOW_S + 3600 })
  })

  it("shortens the backdating so exp − iat never passes the provider's maximum", async () => {
    const capped = exampleProvider({ maxValiditySeconds: 86_400 })
    const decode = async (validityInSeconds: number) =>
      capped.decode((await createUserToken({ userId: 'alice', validityInSeconds }, { provider: capped, now })).token)
    expect(await decode(86_400)).toMatchObject({ issuedAt: NOW_S, expiresAt: NOW_S + 86_400 })
    expect(await decode(86_397)).toMatchObject({ issuedAt: NOW_S - 3, expiresAt: NOW_S + 86_397 })
    expect(await decode(86_395)).toMatchObject({ issuedAt: NOW_S - 5, expiresAt: NOW_S + 86_395 })
  })

  it('reads the clock on every mint, not once', async () => {
    let clock = NOW_MS
    const service = createTokenService({ provider, now: () => clock })
    const first = await service.createUserToken({ userId: 'alice' })
    clock += 10_000
    const second = await service.createUserToken({ userId: 'alice' })
    expect(second.expiresAt.getTime() - first.expiresAt.getTime()).toBe(10_000)
  })

  it('defaults the role to member and the validity to the policy default', async () => {
    const issued = await createCallToken({ userId: 'alice', callId: 'room1' }, { provider, now, policy: { validity: { defaultSeconds: 900 } } })
    expect(issued).toMatchObject({ role: 'member', validityInSeconds: 900 })
    expect(provider.decode(issued.token).providerRole).toBe('x-member')
  })

  it('maps custom roles through the adapter', async () => {
    const policy = definePolicy({ roles: { host: ['join-call', 'end-call'] } })
    const issued = await createCallToken({ userId: 'alice', callId: 'room1', role: 'host' }, { provider, now, policy })
    expect(provider.decode(issued.token).providerRole).toBe('x-host')
  })

  it('rejects a role the policy does not define with ROLE_NOT_ALLOWED (403)', async () => {
    const error = await failure(() => createCallToken({ userId: 'alice', callId: 'room1', role: 'superuser' }, { provider, now }), 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED')
    expect(error.status).toBe(403)
    expect(error.message).toBe('role "superuser" is not allowed; allowed roles: admin, moderator, member')
  })

  const invalidInputs: [string, unknown, string][] = [
    ['missing userId', { callId: 'room1' }, 'userId is required'],
    ['missing callId', { userId: 'alice' }, 'callId is required'],
    ['numeric userId', { userId: 42, callId: 'room1' }, 'userId must be a string'],
    ['empty userId', { userId: '', callId: 'room1' }, 'userId must not be empty'],
    ['userId outside the provider charset', { userId: 'Alice!', callId: 'room1' }, 'userId may only contain a-z, 0-9 and _'],
    ['userId too long', { userId: 'a'.repeat(33), callId: 'room1' }, 'userId must be at most 32 characters'],
    ['callId over the byte limit', { userId: 'alice', callId: 'ééééééééé' }, 'callId must be at most 16 bytes'],
    ['validity as a string', { userId: 'alice', callId: 'room1', validityInSeconds: '60' }, 'validityInSeconds must be a number of seconds, not a string'],
    ['validity NaN', { userId: 'alice', callId: 'room1', validityInSeconds: Number.NaN }, 'validityInSeconds must be a number of seconds, not NaN'],
    ['validity fractional', { userId: 'alice', callId: 'room1', validityInSeconds: 90.5 }, 'validityInSeconds must be a whole number of seconds'],
    ['validity negative', { userId: 'alice', callId: 'room1', validityInSeconds: -60 }, 'validityInSeconds must be positive'],
    ['validity a Unix timestamp', { userId: 'alice', callId: 'room1', validityInSeconds: 1_795_000_000 }, 'validityInSeconds looks like a Unix timestamp; pass a duration in seconds (e.g. 3600)'],
    ['validity a millisecond timestamp', { userId: 'alice', callId: 'room1', validityInSeconds: 1_795_000_000_000 }, 'validityInSeconds looks like a Unix timestamp; pass a duration in seconds (e.g. 3600)'],
    ['unknown field', { userId: 'alice', callId: 'room1', ttl: 60 }, 'ttl is not a known field'],
    ['callType where the provider has none', { userId: 'alice', callId: 'room1', callType: 'default' }, 'callType is not supported by example'],
    ['role not a string', { userId: 'alice', callId: 'room1', role: 1 }, 'role must be a string'],
    ['not an object', 'alice', 'the input must be an object'],
    ['null', null, 'the input must be an object'],
  ]
  it.each(invalidInputs)('rejects %s with INVALID_INPUT (422) and a message naming the field', async (_, input, message) => {
    const error = await failure(() => createCallToken(input as never, { provider, now }), 'ERR_CALLTOKEN_INVALID_INPUT')
    expect(error.status).toBe(422)
    expect(error.issues?.map((i) => i.message)).toContain(message)
    expect(error.message).toBe(`Validation failed: ${error.issues!.map((i) => i.message).join('; ')}`)
  })

  it('reports every problem at once, with field paths', async () => {
    const error = await failure(() => createCallToken({ callId: 5, extra: true } as never, { provider, now }), 'ERR_CALLTOKEN_INVALID_INPUT')
    expect(error.issues).toEqual([
      { path: 'userId', message: 'userId is required' },
      { path: 'callId', message: 'callId must be a string' },
      { path: 'extra', message: 'extra is not a known field' },
    ])
  })

  it('user tokens: callType needs a callId', async () => {
    const error = await failure(() => createUserToken({ userId: 'alice', callType: 'default' }, { provider: exampleProvider({ callType: {} }), now }), 'ERR_CALLTOKEN_INVALID_INPUT')
    expect(error.issues).toEqual([{ path: 'callType', message: 'callType needs a callId' }])
  })

  it('defaults callType to "default" for providers with call types', async () => {
    const typed = exampleProvider({ callType: { pattern: /^[a-z]+$/ } })
    expect(await createUserToken({ userId: 'alice', callId: 'room1' }, { provider: typed, now })).toMatchObject({ callType: 'default' })
    expect(await createCallToken({ userId: 'alice', callId: 'room1', callType: 'livestream' }, { provider: typed, now })).toMatchObject({ callType: 'livestream' })
    expect(await createUserToken({ userId: 'alice' }, { provider: typed, now })).not.toHaveProperty('callType')
  })

  it('never mutates the input, frozen or not', async () => {
    const input = { userId: 'alice', callId: 'room1', role: 'admin', validityInSeconds: 600 }
    const before = structuredClone(input)
    await createCallToken(input, { provider, now })
    await createCallToken(Object.freeze({ ...input }), { provider, now })
    await createUserToken(Object.freeze({ userId: 'alice' }), { provider, now })
    expect(input).toEqual(before)
  })
})

describe('validity range', () => {
  it('rejects a request outside 60..86400 with VALIDITY_OUT_OF_RANGE (422)', async () => {
    for (const validityInSeconds of [59, 86_401, 1]) {
      const error = await failure(() => createUserToken({ userId: 'alice', validityInSeconds }, { provider, now }), 'ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE')
      expect(error.status).toBe(422)
      const message = `validityInSeconds must be between 60 and 86400 seconds for example (got ${validityInSeconds})`
      expect(error.message).toBe(`Validation failed: ${message}`)
      expect(error.issues).toEqual([{ path: 'validityInSeconds', message }])
    }
    for (const validityInSeconds of [60, 86_400]) {
      expect((await createUserToken({ userId: 'alice', validityInSeconds }, { provider, now })).validityInSeconds).toBe(validityInSeconds)
    }
  })

  it('clamps instead when the policy says so', async () => {
    const policy = definePolicy({ validity: { clamp: true } })
    expect((await createUserToken({ userId: 'alice', validityInSeconds: 5 }, { provider, now, policy })).validityInSeconds).toBe(60)
    expect((await createUserToken({ userId: 'alice', validityInSeconds: 999_999 }, { provider, now, policy })).validityInSeconds).toBe(86_400)
  })

  it("intersects the policy's range with the provider's (Zoom-like 1800..172800)", async () => {
    const zoomLike = exampleProvider({ minValiditySeconds: 1800, maxValiditySeconds: 172_800 })
    await failure(() => createUserToken({ userId: 'alice', validityInSeconds: 600 }, { provider: zoomLike, now }), 'ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE')
    await failure(() => createUserToken({ userId: 'alice', validityInSeconds: 90_000 }, { provider: zoomLike, now }), 'ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE')
    const wide = definePolicy({ validity: { maxSeconds: 200_000 } })
    await failure(() => createUserToken({ userId: 'alice', validityInSeconds: 180_000 }, { provider: zoomLike, now, policy: wide }), 'ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE')
    expect((await createUserToken({ userId: 'alice', validityInSeconds: 172_800 }, { provider: zoomLike, now, policy: wide })).validityInSeconds).toBe(172_800)
    // A policy default below the provider minimum moves up to it rather than failing every default mint.
    expect((await createUserToken({ userId: 'alice' }, { provider: zoomLike, now, policy: definePolicy({ validity: { defaultSeconds: 600 } }) })).validityInSeconds).toBe(1800)
  })

  it('a policy range that misses the provider range is a configuration error at service creation', () => {
    const zoomLike = exampleProvider({ minValiditySeconds: 1800 })
    expect(() => createTokenService({ provider: zoomLike, policy: definePolicy({ validity: { maxSeconds: 900, defaultSeconds: 600 } }) })).toThrow(
      expect.objectContaining({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' }),
    )
  })
})

describe('configuration and provider failures', () => {
  it('createTokenService checks the options once, at creation', () => {
    expect(() => createTokenService({ provider: {} as never })).toThrow(expect.objectContaining({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' }))
    expect(() => createTokenService({ provider, policy: { clockSkewSeconds: -5 } })).toThrow(expect.objectContaining({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' }))
    const unmappable = defineProvider({ ...minimalDefinition(), mapRole: (role: string) => (role === 'admin' ? undefined : role) })
    expect(() => createTokenService({ provider: unmappable })).toThrow('Role "admin" has no unmappable role')
  })

  it('a clock that returns no number is a configuration error, not a token', async () => {
    await failure(() => createUserToken({ userId: 'alice' }, { provider, now: () => Number.NaN }), 'ERR_CALLTOKEN_INVALID_CONFIG')
  })

  it('wraps a signing failure as PROVIDER_FAILED (500) with the secret scrubbed from message and cause', async () => {
    const secret = 'super-secret-value-123'
    const failing = defineProvider({
      ...minimalDefinition(),
      secrets: [secret],
      sign: () => {
        throw new Error(`key ${secret} rejected by the HSM`)
      },
    })
    const error = await failure(() => createUserToken({ userId: 'alice' }, { provider: failing, now }), 'ERR_CALLTOKEN_PROVIDER_FAILED')
    expect(error.status).toBe(500)
    expect(error.message).toBe('unmappable could not sign the token')
    expect((error.cause as Error).message).toBe('key [redacted] rejected by the HSM')
    expect(String(error.stack) + JSON.stringify(error)).not.toContain(secret)
  })

  it('passes an adapter CallTokenError through unchanged', async () => {
    const refusing = defineProvider({
      ...minimalDefinition(),
      sign: () => {
        throw new CallTokenError('ERR_CALLTOKEN_INVALID_INPUT', 'user tokens need a callId')
      },
    })
    const error = await failure(() => createUserToken({ userId: 'alice' }, { provider: refusing, now }), 'ERR_CALLTOKEN_INVALID_INPUT')
    expect(error).toMatchObject({ status: 422, message: 'user tokens need a callId' })
  })
})

describe('verifyToken', () => {
  it('accepts its own token until expiry, then TOKEN_EXPIRED; a foreign one is INVALID_TOKEN', async () => {
    let clock = NOW_MS
    const service = createTokenService({ provider, now: () => clock })
    const { token } = await service.createCallToken({ userId: 'alice', callId: 'room1', validityInSeconds: 60 })
    expect(await service.verifyToken(token)).toMatchObject({ userId: 'alice', callId: 'room1', expiresAt: NOW_S + 60 })
    clock = (NOW_S + 60) * 1000
    await expect(service.verifyToken(token)).rejects.toThrow(expect.objectContaining({ code: 'ERR_CALLTOKEN_TOKEN_EXPIRED', status: 401 }))
    const other = exampleProvider({}, 'another-secret')
    const foreign = await createCallToken({ userId: 'alice', callId: 'room1' }, { provider: other, now })
    await expect(provider.verify(foreign.token, { now })).rejects.toThrow(expect.objectContaining({ code: 'ERR_CALLTOKEN_INVALID_TOKEN' }))
  })
})

function minimalDefinition() {
  return {
    id: 'unmappable',
    limits: { userId: {}, callId: {} },
    secrets: [] as string[],
    mapRole: (role: string): string | undefined => role,
    sign: () => ({ token: 't', connect: {} }),
    decode: (): never => {
      throw new Error('unused')
    },
    verifySignature: (): never => {
      throw new Error('unused')
    },
  }
}

describe('misuse of the one-shot functions is a coded rejection', () => {
  it('without options, or options without a provider: INVALID_CONFIG naming what is missing', async () => {
    const input = { userId: 'alice', callId: 'standup' }
    await expect((createCallToken as (input: unknown) => Promise<unknown>)(input)).rejects.toMatchObject({
      code: 'ERR_CALLTOKEN_INVALID_CONFIG',
      message: 'createCallToken needs options with a provider, e.g. createCallToken(input, { provider: stream({ apiKey, apiSecret }) })',
    })
    await expect(createUserToken(input, {} as never)).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG', message: expect.stringMatching(/^options\.provider is missing/) })
    await expect(createUserToken(input, { provider: {} } as never)).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG', message: expect.stringMatching(/must be a calltoken provider/) })
  })
})
