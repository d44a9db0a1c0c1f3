import { createHmac } from 'node:crypto'
import { createCallToken, createTokenService, createUserToken, definePolicy } from '@calltoken/core'
import { FIXED_NOW_MS, FIXED_NOW_S } from '@calltoken/test-kit'
import { twilio } from '@calltoken/twilio'
import { jwtVerify } from 'jose'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ACCOUNT_SID, API_KEY_SECRET, API_KEY_SID, credentials, segments, twilioNodeToken } from './fixtures'

// twilio-node's AccessToken reads Date.now(); ours reads the service clock. Both see the same fake time.
const now = () => Date.now()
const noSkew = definePolicy({ clockSkewSeconds: 0, validity: { minSeconds: 1 } })
const key = new TextEncoder().encode(API_KEY_SECRET)

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(FIXED_NOW_MS)
})
afterEach(() => {
  vi.useRealTimers()
})

describe('twilio-node AccessToken + VideoGrant as the oracle', () => {
  it('with no clock skew, a call token is byte-identical to twilio-node (header, claims, claim order, jti, signature)', async () => {
    const provider = twilio(credentials)
    const ours = await createCallToken({ userId: 'alice', callId: 'DailyStandup', validityInSeconds: 600 }, { provider, policy: noSkew, now })
    const theirs = twilioNodeToken({ identity: 'alice', room: 'DailyStandup', ttl: 600 })
    expect(ours.token).toBe(theirs)
    expect(segments(ours.token).headerJson).toBe('{"alg":"HS256","typ":"JWT","cty":"twilio-fpa;v=1"}')
    expect(segments(ours.token).payloadJson).toBe(
      `{"jti":"${API_KEY_SID}-${FIXED_NOW_S}","grants":{"identity":"alice","video":{"room":"DailyStandup"}},` +
        `"iat":${FIXED_NOW_S},"exp":${FIXED_NOW_S + 600},"iss":"${API_KEY_SID}","sub":"${ACCOUNT_SID}"}`,
    )
  })

  it('a user token without callId grants every room (video: {}), as a VideoGrant without room does', async () => {
    const provider = twilio(credentials)
    const ours = await createUserToken({ userId: 'alice', validityInSeconds: 3600 }, { provider, policy: noSkew, now })
    const theirs = twilioNodeToken({ identity: 'alice', ttl: 3600 })
    expect(ours.token).toBe(theirs)
    expect(segments(ours.token).payload.grants).toEqual({ identity: 'alice', video: {} })
    expect(ours.connect).toEqual({ identity: 'alice' })
  })

  it('with a region, the header carries twr exactly where twilio-node puts it', async () => {
    const provider = twilio({ ...credentials, region: 'ie1' })
    const ours = await createCallToken({ userId: 'bob', callId: 'apt-47' }, { provider, policy: noSkew, now })
    expect(ours.token).toBe(twilioNodeToken({ identity: 'bob', room: 'apt-47', ttl: 3600, region: 'ie1' }))
    expect(segments(ours.token).headerJson).toBe('{"alg":"HS256","typ":"JWT","cty":"twilio-fpa;v=1","twr":"ie1"}')
  })

  it('non-ASCII identities and rooms are encoded the same way', async () => {
    const provider = twilio(credentials)
    const input = { userId: '2-jané.doe@例え.jp 😀', callId: 'Sala de reunión 会議' }
    const ours = await createCallToken({ ...input, validityInSeconds: 5400 }, { provider, policy: noSkew, now })
    expect(ours.token).toBe(twilioNodeToken({ identity: input.userId, room: input.callId, ttl: 5400 }))
  })

  it('with the default 5 s skew, only iat (and the jti built from it) differ from twilio-node', async () => {
    const provider = twilio(credentials)
    const ours = segments((await createCallToken({ userId: 'alice', callId: 'room-1', validityInSeconds: 7200 }, { provider, now })).token)
    const theirs = segments(twilioNodeToken({ identity: 'alice', room: 'room-1', ttl: 7200 }))
    expect(ours.header).toEqual(theirs.header)
    expect(Object.keys(ours.payload)).toEqual(Object.keys(theirs.payload))
    expect(ours.payload.iat).toBe((theirs.payload.iat as number) - 5)
    expect(ours.payload.jti).toBe(`${API_KEY_SID}-${FIXED_NOW_S - 5}`)
    const rest = (p: Record<string, unknown>) => ({ ...p, iat: undefined, jti: undefined })
    expect(rest(ours.payload)).toEqual(rest(theirs.payload))
  })

  it('a 24 h token never lasts longer than 24 h from its iat, whatever the skew (Twilio 20157)', async () => {
    const provider = twilio(credentials)
    for (const [validityInSeconds, skew] of [
      [86_400, 5],
      [86_400, 600],
      [86_398, 5],
      [86_000, 5],
    ] as const) {
      const policy = definePolicy({ clockSkewSeconds: skew })
      const { payload } = segments((await createCallToken({ userId: 'alice', callId: 'r', validityInSeconds }, { provider, policy, now })).token)
      expect(payload.exp).toBe(FIXED_NOW_S + validityInSeconds)
      expect((payload.exp as number) - (payload.iat as number)).toBe(Math.min(86_400, validityInSeconds + skew))
      expect(payload.iat).toBeLessThanOrEqual(FIXED_NOW_S)
      expect(payload.jti).toBe(`${API_KEY_SID}-${payload.iat as number}`)
    }
    // At 24 h with skew 0 it is still twilio-node's token.
    const full = await createCallToken({ userId: 'alice', callId: 'r', validityInSeconds: 86_400 }, { provider, policy: noSkew, now })
    expect(full.token).toBe(twilioNodeToken({ identity: 'alice', room: 'r', ttl: 86_400 }))
  })

  it('verifies with jose jwtVerify and the API key secret, with our key as iss and our account as sub', async () => {
    const provider = twilio(credentials)
    const issued = await createCallToken({ userId: 'alice', callId: 'DailyStandup', validityInSeconds: 900 }, { provider, now })
    const { payload, protectedHeader } = await jwtVerify(issued.token, key, {
      algorithms: ['HS256'],
      issuer: API_KEY_SID,
      subject: ACCOUNT_SID,
      typ: 'JWT',
      currentDate: new Date(FIXED_NOW_MS),
    })
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' })
    expect(payload).toMatchObject({ grants: { identity: 'alice', video: { room: 'DailyStandup' } }, exp: FIXED_NOW_S + 900 })
    await expect(jwtVerify(issued.token, new TextEncoder().encode('another-secret-9f8e7d6c5b4a'))).rejects.toThrow()
  })

  it('its signature is HMAC-SHA256 of header.payload under the API key secret (checked with node:crypto alone)', async () => {
    const provider = twilio(credentials)
    const { token } = await createCallToken({ userId: 'alice', callId: 'r' }, { provider, now })
    const dot = token.lastIndexOf('.')
    expect(token.slice(dot + 1)).toBe(createHmac('sha256', API_KEY_SECRET).update(token.slice(0, dot)).digest('base64url'))
  })

  it('accepts tokens twilio-node minted with the same key, and reads them back into neutral claims', async () => {
    const provider = twilio(credentials)
    const service = createTokenService({ provider, now })
    expect(await service.verifyToken(twilioNodeToken({ identity: 'carol', room: 'apt-47', ttl: 60 }))).toEqual({
      provider: 'twilio',
      userId: 'carol',
      callId: 'apt-47',
      issuedAt: FIXED_NOW_S,
      expiresAt: FIXED_NOW_S + 60,
      claims: segments(twilioNodeToken({ identity: 'carol', room: 'apt-47', ttl: 60 })).payload,
    })
    const anyRoom = await service.verifyToken(twilioNodeToken({ identity: 'carol', ttl: 60 }))
    expect(anyRoom.callId).toBeUndefined()
    expect('callId' in anyRoom).toBe(false)
  })

  it('returns the role to the app (it is not in the token) and what twilio-video connect() needs', async () => {
    const provider = twilio(credentials)
    const issued = await createCallToken({ userId: 'dr-sarah', callId: 'apt-47', role: 'moderator' }, { provider, now })
    expect(issued.role).toBe('moderator')
    expect(issued.connect).toEqual({ identity: 'dr-sarah', roomName: 'apt-47' })
    expect(JSON.stringify(segments(issued.token).payload)).not.toContain('moderator')
    expect(provider.mapRole('moderator', new Set())).toBe('moderator')
  })
})
