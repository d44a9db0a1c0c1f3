import { createCallToken, createUserToken, definePolicy, type IssuedToken } from '@calltoken/core'
import { stream } from '@calltoken/stream'
import { FIXED_NOW_MS, FIXED_NOW_S, fixedClock } from '@calltoken/test-kit'
import { StreamClient } from '@stream-io/node-sdk'
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// The official SDK is the oracle: same input, same clock → the same claims.
const apiKey = 'oraclekey42'
const apiSecret = 'x9npf7i943fitteefmumfh3zov8dbqr2nr0rbcijiof5cvhn9y9qw37zyltlvhwz'
const sdk = new StreamClient(apiKey, apiSecret)
const provider = stream({ apiKey, apiSecret })
const now = fixedClock()
const key = new TextEncoder().encode(apiSecret)

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(FIXED_NOW_MS)
})
afterEach(() => vi.useRealTimers())

const ours = (issued: IssuedToken) => decodeJwt(issued.token)
const withoutIat = ({ iat: _iat, ...rest }: Record<string, unknown>) => rest

describe('stream tokens vs @stream-io/node-sdk', () => {
  it('call token: the same claims as generateCallToken, apart from our 5 s iat backdating', async () => {
    const issued = await createCallToken({ userId: 'alice', callId: 'team-meeting-123', role: 'moderator', validityInSeconds: 7200 }, { provider, now })
    // Given the expiry explicitly, the SDK writes no validity_in_seconds claim.
    const theirs = decodeJwt(sdk.generateCallToken({ user_id: 'alice', call_cids: ['default:team-meeting-123'], role: 'moderator', exp: FIXED_NOW_S + 7200 }))
    expect(withoutIat(ours(issued))).toEqual(withoutIat(theirs))
    expect(ours(issued).iat).toBe(FIXED_NOW_S - 5)
    expect(theirs.iat).toBe(FIXED_NOW_S - 1)
  })

  it('with the same iat the tokens are byte-identical (same header, claims and claim order)', async () => {
    const policy = definePolicy({ clockSkewSeconds: 1 })
    const iat = FIXED_NOW_S - 1 // given iat and exp, the SDK writes them in that order, as we do
    const call = await createCallToken({ userId: 'bob', callId: 'c1', callType: 'livestream', role: 'admin', validityInSeconds: 600 }, { provider, now, policy })
    expect(call.token).toBe(sdk.generateCallToken({ user_id: 'bob', call_cids: ['livestream:c1'], role: 'admin', iat, exp: FIXED_NOW_S + 600 }))

    const user = await createUserToken({ userId: 'bob', validityInSeconds: 900 }, { provider, now, policy })
    expect(user.token).toBe(sdk.generateUserToken({ user_id: 'bob', iat, exp: FIXED_NOW_S + 900 }))

    const restricted = await createUserToken({ userId: 'bob', callId: 'c1' }, { provider, now, policy })
    expect(restricted.token).toBe(sdk.generateUserToken({ user_id: 'bob', call_cids: ['default:c1'], iat, exp: FIXED_NOW_S + 3600 }))
  })

  it('a token for several calls (callIds) is byte for byte generateCallToken with every cid, in the order given', async () => {
    const policy = definePolicy({ clockSkewSeconds: 1 })
    const iat = FIXED_NOW_S - 1
    const issued = await createCallToken({ userId: 'bob', callIds: ['room-b', 'room-a', 'lobby'], callType: 'livestream', role: 'moderator', validityInSeconds: 600 }, { provider, now, policy })
    const call_cids = ['livestream:room-b', 'livestream:room-a', 'livestream:lobby']
    expect(issued.token).toBe(sdk.generateCallToken({ user_id: 'bob', call_cids, role: 'moderator', iat, exp: FIXED_NOW_S + 600 }))
    expect(issued).toMatchObject({ callId: 'room-b', callIds: ['room-b', 'room-a', 'lobby'], callType: 'livestream' })
    expect(issued.connect).toEqual({ apiKey, userId: 'bob', callCid: 'livestream:room-b', callCids: call_cids })
    // The call type defaults to 'default' for every id; one id in callIds is a one-call token.
    const one = await createCallToken({ userId: 'bob', callIds: ['x'] }, { provider, now, policy })
    expect(one.token).toBe(sdk.generateCallToken({ user_id: 'bob', call_cids: ['default:x'], role: 'user', iat, exp: FIXED_NOW_S + 3600 }))
    // Read back: every call.
    expect(provider.decode(issued.token)).toMatchObject({ callId: 'room-b', callIds: ['room-b', 'room-a', 'lobby'], callType: 'livestream' })
  })

  it('refuses callIds that are empty, repeated, too many, or given with callId (a CallTokenError, never a token)', async () => {
    const refusals: [Record<string, unknown>, string][] = [
      [{ userId: 'bob', callIds: [] }, 'callIds must name at least one call'],
      [{ userId: 'bob', callIds: ['a', 'a'] }, 'callIds must not name a call twice'],
      [{ userId: 'bob', callIds: Array.from({ length: 26 }, (_, i) => `c${i}`) }, 'callIds may name at most 25 calls'],
      [{ userId: 'bob', callId: 'a', callIds: ['b'] }, 'callIds must not be given together with callId'],
      [{ userId: 'bob', callIds: ['a:b'] }, 'callIds.0: callId may only contain letters, digits, _ and -'],
      [{ userId: 'bob', callIds: 'a,b' }, 'callIds must be a list of call ids'],
    ]
    for (const [input, message] of refusals) {
      await expect(createCallToken(input as never, { provider, now })).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_INPUT', issues: [expect.objectContaining({ message })] })
    }
    // User tokens are for one call at most.
    await expect(createUserToken({ userId: 'bob', callIds: ['a'] } as never, { provider, now })).rejects.toMatchObject({ issues: [{ path: 'callIds', message: 'callIds is not a known field' }] })
  })

  it('with validity_in_seconds the SDK computes exp from its backdated iat and leaks the option as a claim; we do neither', async () => {
    const issued = await createCallToken({ userId: 'alice', callId: 'c1', role: 'admin', validityInSeconds: 600 }, { provider, now })
    const theirs = decodeJwt(sdk.generateCallToken({ user_id: 'alice', call_cids: ['default:c1'], role: 'admin', validity_in_seconds: 600 }))
    expect(theirs.exp).toBe(FIXED_NOW_S - 1 + 600)
    expect(ours(issued).exp).toBe(FIXED_NOW_S + 600)
    expect(theirs.validity_in_seconds).toBe(600)
    expect(Object.keys(ours(issued))).toEqual(['user_id', 'call_cids', 'role', 'iat', 'exp'])
  })

  it('maps the default roles admin→admin, moderator→moderator, member→user', async () => {
    for (const [role, streamRole] of [['admin', 'admin'], ['moderator', 'moderator'], ['member', 'user']] as const) {
      const issued = await createCallToken({ userId: 'alice', callId: 'c1', role }, { provider, now })
      expect(ours(issued).role).toBe(streamRole)
      expect(issued.role).toBe(role)
    }
  })

  it('user tokens carry user_id, iat, exp only; call-restricted ones add call_cids and no role', async () => {
    expect(Object.keys(ours(await createUserToken({ userId: 'alice' }, { provider, now })))).toEqual(['user_id', 'iat', 'exp'])
    const restricted = ours(await createUserToken({ userId: 'alice', callId: 'c1', callType: 'audio_room' }, { provider, now }))
    expect(restricted).toEqual({ user_id: 'alice', call_cids: ['audio_room:c1'], iat: FIXED_NOW_S - 5, exp: FIXED_NOW_S + 3600 })
  })

  it('every token verifies with jose using the secret, with header {alg: HS256, typ: JWT}', async () => {
    const tokens = [
      await createUserToken({ userId: 'alice' }, { provider, now }),
      await createUserToken({ userId: 'alice', callId: 'c1' }, { provider, now }),
      await createCallToken({ userId: 'alice', callId: 'c1', role: 'admin' }, { provider, now }),
    ]
    for (const { token } of tokens) {
      expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' })
      const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], currentDate: new Date(FIXED_NOW_MS) })
      expect(payload.user_id).toBe('alice')
    }
  })

  it('an SDK-minted token decodes and verifies with our provider into the same neutral claims', async () => {
    const token = sdk.generateCallToken({ user_id: 'carol', call_cids: ['default:c9'], role: 'user', exp: FIXED_NOW_S + 60 })
    expect(await provider.verify(token, { now })).toMatchObject({
      provider: 'stream',
      userId: 'carol',
      callId: 'c9',
      callType: 'default',
      providerRole: 'user',
      issuedAt: FIXED_NOW_S - 1,
      expiresAt: FIXED_NOW_S + 60,
    })
  })
})
