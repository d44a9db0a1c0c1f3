import { createCallToken, createTokenService, createUserToken, definePolicy } from '@calltoken/core'
import { expectCallTokenError, FIXED_NOW_MS, FIXED_NOW_S } from '@calltoken/test-kit'
import { zoom } from '@calltoken/zoom'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { credentials, jsrsasignRead, SDK_KEY, SDK_SECRET, sampleToken } from './fixtures'

// The sample reads Date.now(); ours reads the service clock. Both see the same fake time.
const now = () => Date.now()
const noSkew = definePolicy({ clockSkewSeconds: 0, roles: { viewer: ['join-call'] } })

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(FIXED_NOW_MS)
})
afterEach(() => {
  vi.useRealTimers()
})

const decodePayload = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>

describe("Zoom's official auth-endpoint sample (jsrsasign) as the oracle", () => {
  for (const [role, roleType] of [['admin', 1], ['moderator', 0], ['member', 0], ['viewer', 0]] as const) {
    it(`a ${role} call token is the sample's token (role_type ${roleType}) with user_key, byte for byte, and jsrsasign verifies it`, async () => {
      const ours = await createCallToken({ userId: 'alice-42', callId: 'Team Standup #7', role, validityInSeconds: 7200 }, { provider: zoom(credentials), policy: noSkew, now })
      expect(ours.token).toBe(sampleToken({ role: roleType, sessionName: 'Team Standup #7', expirationSeconds: 7200, userIdentity: 'alice-42' }))
      expect(jsrsasignRead(ours.token)).toEqual({
        app_key: SDK_KEY,
        role_type: roleType,
        tpc: 'Team Standup #7',
        version: 1,
        iat: FIXED_NOW_S,
        exp: FIXED_NOW_S + 7200,
        user_key: 'alice-42',
      })
      expect(ours.connect).toEqual({ sessionName: 'Team Standup #7', userKey: 'alice-42' })
    })
  }

  it("only a role that may end the call is a host: the sample's role 1; roleMap can say otherwise", async () => {
    const policy = definePolicy({ roles: { presenter: ['join-call', 'publish-video', 'end-call'] } })
    const presenter = await createCallToken({ userId: 'p', callId: 's', role: 'presenter' }, { provider: zoom(credentials), policy, now })
    expect(decodePayload(presenter.token).role_type).toBe(1)
    const hostModerators = zoom({ ...credentials, roleMap: { moderator: 'host' } })
    const moderator = await createCallToken({ userId: 'm', callId: 's', role: 'moderator' }, { provider: hostModerators, now })
    expect(decodePayload(moderator.token).role_type).toBe(1)
  })

  it('a user token is for one session too: a participant, or refused without a callId', async () => {
    const ours = await createUserToken({ userId: 'bob', callId: 'session-1', validityInSeconds: 1800 }, { provider: zoom(credentials), policy: noSkew, now })
    expect(ours.token).toBe(sampleToken({ role: 0, sessionName: 'session-1', expirationSeconds: 1800, userIdentity: 'bob' }))
    const error = await expectCallTokenError(() => createUserToken({ userId: 'bob' }, { provider: zoom(credentials) }), 'ERR_CALLTOKEN_INVALID_INPUT')
    expect(error.issues).toEqual([{ path: 'callId', message: 'callId is required: every zoom token is for one call' }])
  })

  it("the default policy gives Zoom's 1800..86 400 s; 600 s is refused naming Zoom's minimum", async () => {
    const service = createTokenService({ provider: zoom(credentials), now })
    const error = await expectCallTokenError(() => service.createCallToken({ userId: 'a', callId: 's', validityInSeconds: 600 }), 'ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE')
    expect(error.message).toContain('between 1800 and 86400 seconds for zoom (got 600)')
    const longest = await service.createCallToken({ userId: 'a', callId: 's', validityInSeconds: 86_400 })
    const claims = jsrsasignRead(longest.token) as { iat: number; exp: number }
    expect(claims.exp - claims.iat).toBe(86_405)
    // A request for exactly Zoom's minimum lasts 1805 s with the default skew (Zoom has refused exactly 1800).
    const shortest = jsrsasignRead((await service.createCallToken({ userId: 'a', callId: 's', validityInSeconds: 1800 })).token) as { iat: number; exp: number }
    expect(shortest.exp - shortest.iat).toBe(1805)
    // A wider policy reaches Zoom's 48 h maximum, never past it.
    const wide = createTokenService({ provider: zoom(credentials), now, policy: definePolicy({ validity: { maxSeconds: 400_000 } }) })
    const max = jsrsasignRead((await wide.createCallToken({ userId: 'a', callId: 's', validityInSeconds: 172_800 })).token) as { iat: number; exp: number }
    expect(max.exp - max.iat).toBe(172_800)
  })

  it('tpc is the callId exactly as given (Zoom lowercases it when it compares)', async () => {
    const ours = await createCallToken({ userId: 'a', callId: 'MixedCase Room [2]' }, { provider: zoom(credentials), now })
    expect(jsrsasignRead(ours.token).tpc).toBe('MixedCase Room [2]')
  })

  it("our verifyToken reads the sample's own tokens (user_identity), and refuses another app's", async () => {
    const service = createTokenService({ provider: zoom(credentials), now })
    const theirs = sampleToken({ role: 1, sessionName: 'town-hall', expirationSeconds: 3600, userIdentity: 'carol' }, 'user_identity')
    expect(await service.verifyToken(theirs)).toMatchObject({ provider: 'zoom', userId: 'carol', callId: 'town-hall', providerRole: 'host', expiresAt: FIXED_NOW_S + 3600 })
    const other = createTokenService({ provider: zoom({ sdkKey: 'Other7Vx2LmR9tKz4WpN8b', sdkSecret: SDK_SECRET }), now })
    await expectCallTokenError(() => other.verifyToken(theirs), 'ERR_CALLTOKEN_INVALID_TOKEN')
  })
})
