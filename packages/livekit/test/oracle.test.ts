import { createCallToken, createTokenService, createUserToken, definePolicy } from '@calltoken/core'
import { livekit } from '@calltoken/livekit'
import { FIXED_NOW_MS, FIXED_NOW_S } from '@calltoken/test-kit'
import { TokenVerifier } from 'livekit-server-sdk'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { API_KEY, API_SECRET, credentials, sdkToken, segments, SERVER_URL } from './fixtures'

// livekit-server-sdk reads Date.now() for nbf and exp; ours reads the service clock. Both see the same fake time.
const now = () => Date.now()
const noSkew = definePolicy({ clockSkewSeconds: 0, roles: { viewer: ['join-call'] } })
const verifier = new TokenVerifier(API_KEY, API_SECRET)

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(FIXED_NOW_MS)
})
afterEach(() => {
  vi.useRealTimers()
})

const grants = {
  admin: { roomAdmin: true, canPublish: true, canSubscribe: true, canPublishData: true, canUpdateOwnMetadata: true },
  moderator: { roomAdmin: false, canPublish: true, canSubscribe: true, canPublishData: true, canUpdateOwnMetadata: true },
  member: { roomAdmin: false, canPublish: true, canSubscribe: true, canPublishData: true, canUpdateOwnMetadata: false },
  viewer: { roomAdmin: false, canPublish: false, canSubscribe: true, canPublishData: false, canUpdateOwnMetadata: false },
} as const

describe('livekit-server-sdk AccessToken + addGrant as the oracle', () => {
  for (const [role, permissions] of Object.entries(grants)) {
    it(`a ${role} call token is byte-identical to the SDK's with the same grant and clock, and TokenVerifier accepts it`, async () => {
      const provider = livekit(credentials)
      const ours = await createCallToken({ userId: 'alice', callId: 'standup', role, validityInSeconds: 600 }, { provider, policy: noSkew, now })
      const grant = { roomJoin: true, room: 'standup', ...permissions }
      expect(ours.token).toBe(await sdkToken({ identity: 'alice', ttl: 600, grant }))
      expect(segments(ours.token).headerJson).toBe('{"alg":"HS256"}')
      expect(segments(ours.token).payloadJson).toBe(
        `{"video":${JSON.stringify(grant)},"iss":"${API_KEY}","exp":${FIXED_NOW_S + 600},"nbf":${FIXED_NOW_S},"sub":"alice"}`,
      )
      const claims = await verifier.verify(ours.token)
      expect(claims).toMatchObject({ sub: 'alice', iss: API_KEY, video: grant })
      expect(claims).not.toHaveProperty('iat')
    })
  }

  it('writes every permission out: a viewer cannot publish even though LiveKit reads a missing canPublish as true', async () => {
    const ours = await createCallToken({ userId: 'v', callId: 'town-hall', role: 'viewer' }, { provider: livekit(credentials), policy: noSkew, now })
    const { video } = segments(ours.token).payload as { video: Record<string, unknown> }
    expect(Object.keys(video)).toEqual(['roomJoin', 'room', 'roomAdmin', 'canPublish', 'canSubscribe', 'canPublishData', 'canUpdateOwnMetadata'])
    expect(video.canPublish).toBe(false)
    expect(video.canPublishData).toBe(false)
  })

  it("a user token with a callId joins with member's grants (or roleMap.member's), as the SDK would mint them", async () => {
    const ours = await createUserToken({ userId: 'bob', callId: 'standup', validityInSeconds: 900 }, { provider: livekit(credentials), policy: noSkew, now })
    expect(ours.token).toBe(await sdkToken({ identity: 'bob', ttl: 900, grant: { roomJoin: true, room: 'standup', ...grants.member } }))
    const viewerMembers = livekit({ ...credentials, roleMap: { member: 'viewer' } })
    const asViewer = await createUserToken({ userId: 'bob', callId: 'standup', validityInSeconds: 900 }, { provider: viewerMembers, policy: noSkew, now })
    expect(asViewer.token).toBe(await sdkToken({ identity: 'bob', ttl: 900, grant: { roomJoin: true, room: 'standup', ...grants.viewer } }))
  })

  it('a user token without a callId names the participant and grants nothing (LiveKit joins need the room in the token)', async () => {
    const ours = await createUserToken({ userId: 'carol', validityInSeconds: 3600 }, { provider: livekit(credentials), policy: noSkew, now })
    const none = { roomJoin: false, roomAdmin: false, canPublish: false, canSubscribe: false, canPublishData: false, canUpdateOwnMetadata: false }
    expect(ours.token).toBe(await sdkToken({ identity: 'carol', ttl: 3600, grant: none }))
    expect(ours.connect).toEqual({ identity: 'carol' })
    expect(await verifier.verify(ours.token)).toMatchObject({ sub: 'carol', video: none })
  })

  it('with the default 5 s skew only nbf differs from the SDK, backdated so a fast client clock does not refuse it', async () => {
    const ours = segments((await createCallToken({ userId: 'alice', callId: 'r1', validityInSeconds: 7200 }, { provider: livekit(credentials), now })).token)
    const theirs = segments(await sdkToken({ identity: 'alice', ttl: 7200, grant: { roomJoin: true, room: 'r1', ...grants.member } }))
    expect(Object.keys(ours.payload)).toEqual(Object.keys(theirs.payload))
    expect(ours.payload.nbf).toBe(FIXED_NOW_S - 5)
    expect(ours.payload.exp).toBe(theirs.payload.exp)
    expect({ ...ours.payload, nbf: 0 }).toEqual({ ...theirs.payload, nbf: 0 })
  })

  it('non-ASCII identities and rooms are encoded the same way as the SDK encodes them', async () => {
    const input = { userId: 'jané.doe 例え 😀', callId: 'Sala de reunión 会議' }
    const ours = await createCallToken({ ...input, validityInSeconds: 600 }, { provider: livekit(credentials), policy: noSkew, now })
    expect(ours.token).toBe(await sdkToken({ identity: input.userId, ttl: 600, grant: { roomJoin: true, room: input.callId, ...grants.member } }))
  })

  it('connect carries the server URL, identity and room; never the secret', async () => {
    const ours = await createCallToken({ userId: 'alice', callId: 'standup' }, { provider: livekit({ ...credentials, serverUrl: SERVER_URL }), now })
    expect(ours.connect).toEqual({ identity: 'alice', serverUrl: SERVER_URL, roomName: 'standup' })
    expect(JSON.stringify(ours)).not.toContain(API_SECRET)
  })

  it("our verifyToken reads the SDK's tokens, and refuses one from another API key with the same secret", async () => {
    const service = createTokenService({ provider: livekit(credentials), now })
    const theirs = await sdkToken({ identity: 'dan', ttl: 600, grant: { roomJoin: true, room: 'standup', ...grants.moderator } })
    expect(await service.verifyToken(theirs)).toMatchObject({ provider: 'livekit', userId: 'dan', callId: 'standup', providerRole: 'moderator', expiresAt: FIXED_NOW_S + 600 })
    const other = createTokenService({ provider: livekit({ ...credentials, apiKey: 'APIotherKey0000' }), now })
    await expect(other.verifyToken(theirs)).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_TOKEN' })
  })
})
