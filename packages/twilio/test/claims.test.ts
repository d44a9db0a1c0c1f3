import { createUserToken } from '@calltoken/core'
import { createHs256Jwt } from '@calltoken/core/provider'
import { expectCallTokenError, FIXED_NOW_MS, FIXED_NOW_S, fixedClock, synchronous } from '@calltoken/test-kit'
import { twilio } from '@calltoken/twilio'
import AccessToken from 'twilio/lib/jwt/AccessToken'
import { describe, expect, it } from 'vitest'
import { ACCOUNT_SID, API_KEY_SECRET, API_KEY_SID, credentials } from './fixtures'

const provider = twilio(credentials)
// The provider's verify = the adapter's verifySignature (HMAC, cty, iss, sub) + core's expiry check.
const verify = (token: string) => provider.verify(token, { now: fixedClock() })
const signedWithOurSecret = (header: Record<string, string>, payload: Record<string, unknown>) =>
  synchronous(createHs256Jwt(API_KEY_SECRET, header).sign(payload))

const twilioHeader = { typ: 'JWT', cty: 'twilio-fpa;v=1' }
const goodPayload = {
  jti: `${API_KEY_SID}-${FIXED_NOW_S}`,
  grants: { identity: 'alice', video: { room: 'apt-47' } },
  iat: FIXED_NOW_S,
  exp: FIXED_NOW_S + 600,
  iss: API_KEY_SID,
  sub: ACCOUNT_SID,
}

describe('decode and verify', () => {
  it('reads a token into neutral claims, with the Twilio payload as claims', async () => {
    const token = signedWithOurSecret(twilioHeader, goodPayload)
    const expected = { provider: 'twilio', userId: 'alice', callId: 'apt-47', issuedAt: FIXED_NOW_S, expiresAt: FIXED_NOW_S + 600, claims: goodPayload }
    expect(provider.decode(token)).toEqual(expected)
    expect(await verify(token)).toEqual(expected)
  })

  it('reads the user id and expiry of a user token that allows any room', async () => {
    const issued = await createUserToken({ userId: 'bob', validityInSeconds: 120 }, { provider, now: fixedClock() })
    const decoded = await provider.verify(issued.token, { now: fixedClock() })
    expect(decoded).toMatchObject({ userId: 'bob', issuedAt: FIXED_NOW_S - 5, expiresAt: FIXED_NOW_S + 120 })
    expect('callId' in decoded).toBe(false)
    await expectCallTokenError(() => provider.verify(issued.token, { now: fixedClock(FIXED_NOW_MS + 120_000) }), 'ERR_CALLTOKEN_TOKEN_EXPIRED')
  })

  const notTwilio: [string, Record<string, string>, Record<string, unknown>, RegExp][] = [
    ['no cty (a Stream-style token)', { typ: 'JWT' }, goodPayload, /cty must be "twilio-fpa;v=1"/],
    ['another cty', { typ: 'JWT', cty: 'twilio-fpa;v=2' }, goodPayload, /cty/],
    ['no typ', { cty: 'twilio-fpa;v=1' }, goodPayload, /typ must be "JWT"/],
    ['no grants', twilioHeader, { ...goodPayload, grants: undefined }, /grants is missing/],
    ['grants is an array', twilioHeader, { ...goodPayload, grants: [] }, /grants is missing/],
    ['no identity', twilioHeader, { ...goodPayload, grants: { video: {} } }, /grants.identity is missing/],
    ['an empty identity', twilioHeader, { ...goodPayload, grants: { identity: '', video: {} } }, /grants.identity is missing/],
    ['a numeric identity', twilioHeader, { ...goodPayload, grants: { identity: 4444, video: {} } }, /grants.identity is missing/],
    ['no video grant (a Chat token)', twilioHeader, { ...goodPayload, grants: { identity: 'alice', chat: {} } }, /no video grant/],
    ['a numeric room', twilioHeader, { ...goodPayload, grants: { identity: 'alice', video: { room: 7 } } }, /room must be a room name/],
    ['an empty room', twilioHeader, { ...goodPayload, grants: { identity: 'alice', video: { room: '' } } }, /room must be a room name/],
    ['a fractional exp', twilioHeader, { ...goodPayload, exp: FIXED_NOW_S + 0.5 }, /iat and exp must be integers/],
    ['no iat', twilioHeader, { ...goodPayload, iat: undefined }, /iat and exp must be integers/],
    ['exp in milliseconds as a string', twilioHeader, { ...goodPayload, exp: String(FIXED_NOW_MS) }, /iat and exp must be integers/],
  ]
  it.each(notTwilio)('rejects a token with %s, in decode and in verify', async (_, header, payload, reason) => {
    const token = signedWithOurSecret(header, payload)
    const decodeError = await expectCallTokenError(() => provider.decode(token), 'ERR_CALLTOKEN_INVALID_TOKEN')
    expect(decodeError.message).toMatch(reason)
    expect(decodeError.message).toMatch(/^Not a valid twilio token: /)
    await expectCallTokenError(() => verify(token), 'ERR_CALLTOKEN_INVALID_TOKEN')
  })

  it('verify rejects a token signed with our secret that names another key or account', async () => {
    const otherKey = signedWithOurSecret(twilioHeader, { ...goodPayload, iss: 'SK00000000000000000000000000000000' })
    expect((await expectCallTokenError(() => verify(otherKey), 'ERR_CALLTOKEN_INVALID_TOKEN')).message).toMatch(/iss/)
    const otherAccount = signedWithOurSecret(twilioHeader, { ...goodPayload, sub: 'AC00000000000000000000000000000000' })
    expect((await expectCallTokenError(() => verify(otherAccount), 'ERR_CALLTOKEN_INVALID_TOKEN')).message).toMatch(/sub/)
    const noIssuer = signedWithOurSecret(twilioHeader, { ...goodPayload, iss: undefined, sub: undefined })
    await expectCallTokenError(() => verify(noIssuer), 'ERR_CALLTOKEN_INVALID_TOKEN')
    // decode does not check the signature or the issuer, only the shape.
    expect(provider.decode(otherKey).userId).toBe('alice')
  })

  it('verify rejects another secret, and HS384/HS512 tokens (we only mint and accept HS256)', async () => {
    const foreign = await createHs256Jwt('Zq8Xw3Rt6Yu1Io4Pa7Sd0Fg2Hj5Kl9Mn', twilioHeader).sign(goodPayload)
    const error = await expectCallTokenError(() => verify(foreign), 'ERR_CALLTOKEN_INVALID_TOKEN')
    expect(error.message).toMatch(/signature does not match/)
    for (const algorithm of ['HS384', 'HS512'] as const) {
      const token = new AccessToken(ACCOUNT_SID, API_KEY_SID, API_KEY_SECRET, { identity: 'alice' })
      token.addGrant(new AccessToken.VideoGrant({ room: 'r' }))
      await expectCallTokenError(() => verify(token.toJwt(algorithm)), 'ERR_CALLTOKEN_INVALID_TOKEN')
    }
  })

  it.each(['', 'abc', 'a.b', 'a.b.c.d', 'eyJ.eyJ.x', '!!.??.**', 42 as unknown as string])('rejects %j', async (junk) => {
    await expectCallTokenError(() => provider.decode(junk), 'ERR_CALLTOKEN_INVALID_TOKEN')
    await expectCallTokenError(() => verify(junk), 'ERR_CALLTOKEN_INVALID_TOKEN')
  })
})
