import { createCallToken, createUserToken, definePolicy, isCallTokenError } from '@calltoken/core'
import { livekit, type LiveKitExtras } from '@calltoken/livekit'
import { FIXED_NOW_MS, FIXED_NOW_S } from '@calltoken/test-kit'
import fc from 'fast-check'
import { AccessToken, RoomAgentDispatch, RoomConfiguration, TokenVerifier, TrackSource } from 'livekit-server-sdk'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { API_KEY, API_SECRET, credentials, segments } from './fixtures'

// The SDK reads Date.now() for nbf and exp; ours reads the service clock. Both see the same fake time.
const now = () => Date.now()
const policy = definePolicy({ clockSkewSeconds: 0 })
const provider = livekit(credentials)
const verifier = new TokenVerifier(API_KEY, API_SECRET)
const member = { roomJoin: true, room: 'support', roomAdmin: false, canPublish: true, canSubscribe: true, canPublishData: true, canUpdateOwnMetadata: false }
const SOURCE = { camera: TrackSource.CAMERA, microphone: TrackSource.MICROPHONE, screen_share: TrackSource.SCREEN_SHARE, screen_share_audio: TrackSource.SCREEN_SHARE_AUDIO }

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(FIXED_NOW_MS)
})
afterEach(() => vi.useRealTimers())

/** The SDK's token for the same participant options and grant. */
function sdkToken(extras: LiveKitExtras, grant: Record<string, unknown>): Promise<string> {
  const { name, metadata, attributes, canPublishSources, hidden } = extras
  const token = new AccessToken(API_KEY, API_SECRET, { identity: 'alice', ttl: 600, name, metadata, attributes: attributes as Record<string, string> | undefined })
  token.addGrant({
    ...grant,
    ...(canPublishSources === undefined ? {} : { canPublishSources: canPublishSources.map((s) => SOURCE[s]) }),
    ...(hidden === undefined ? {} : { hidden }),
  })
  return token.toJwt()
}

describe('livekit extras vs livekit-server-sdk', () => {
  it('name, metadata, attributes, canPublishSources and hidden: byte-identical to AccessToken with the same options', async () => {
    const extras: LiveKitExtras = {
      name: 'Alice Example',
      metadata: '{"plan":"pro"}',
      attributes: { team: 'support', seat: '7' },
      canPublishSources: ['microphone', 'screen_share'],
      hidden: false,
    }
    const ours = await createCallToken({ userId: 'alice', callId: 'support', validityInSeconds: 600, extras }, { provider, policy, now })
    expect(ours.token).toBe(await sdkToken(extras, member))
    expect(ours.extras).toEqual(extras)
    expect(await verifier.verify(ours.token)).toMatchObject({ name: 'Alice Example', metadata: '{"plan":"pro"}', attributes: extras.attributes })
  })

  it("roomConfig (agent dispatch) parses as LiveKit's RoomConfiguration and equals the SDK's", async () => {
    const roomConfig = { agents: [{ agentName: 'support-bot', metadata: '{"lang":"en"}' }], emptyTimeout: 300, maxParticipants: 8 }
    const ours = await createCallToken({ userId: 'alice', callId: 'support', validityInSeconds: 600, extras: { roomConfig } }, { provider, policy, now })
    const sdk = new AccessToken(API_KEY, API_SECRET, { identity: 'alice', ttl: 600 })
    sdk.addGrant(member)
    sdk.roomConfig = new RoomConfiguration({ agents: [new RoomAgentDispatch({ agentName: 'support-bot', metadata: '{"lang":"en"}' })], emptyTimeout: 300, maxParticipants: 8 })
    const theirs = segments(await sdk.toJwt()).payload
    const mine = segments(ours.token).payload
    // The SDK writes every default of the message; ours only what was given. LiveKit parses both to the same message.
    expect(RoomConfiguration.fromJson(mine.roomConfig as never).equals(RoomConfiguration.fromJson(theirs.roomConfig as never))).toBe(true)
    expect({ ...mine, roomConfig: 0 }).toEqual({ ...theirs, roomConfig: 0 })
    expect((await verifier.verify(ours.token)).roomConfig).toEqual(roomConfig)
  })

  it('a user token carries the extras too; without extras the claims are unchanged', async () => {
    const issued = await createUserToken({ userId: 'alice', callId: 'support', validityInSeconds: 600, extras: { name: 'Alice' } }, { provider, policy, now })
    expect(segments(issued.token).payload.name).toBe('Alice')
    const plain = segments((await createCallToken({ userId: 'alice', callId: 'support' }, { provider, policy, now })).token).payload
    expect(Object.keys(plain)).toEqual(['video', 'iss', 'exp', 'nbf', 'sub'])
  })

  it('refuses extras LiveKit would not read the same way, with the field in the path', async () => {
    const refusals: [Record<string, unknown>, string, string][] = [
      [{ name: 42 }, 'extras.name', 'extras.name must be a string'],
      [{ attributes: { a: 1 } }, 'extras.attributes', 'extras.attributes.a must be a string'],
      [{ canPublishSources: ['camera', 'webcam'] }, 'extras.canPublishSources', 'extras.canPublishSources.1 must be one of camera, microphone, screen_share, screen_share_audio'],
      [{ canPublishSources: [] }, 'extras.canPublishSources', 'extras.canPublishSources must be a non-empty list of camera, microphone, screen_share, screen_share_audio'],
      [{ hidden: 'yes' }, 'extras.hidden', 'extras.hidden must be true or false'],
      [{ roomConfig: { agents: [{ agent: 'x' }] } }, 'extras.roomConfig', 'extras.roomConfig.agents.0.agent is not a known field; known: agentName, metadata, deployment, attributes'],
      [{ roomConfig: { emptyTimeout: -1 } }, 'extras.roomConfig', 'extras.roomConfig.emptyTimeout must be a whole number from 0 to 4294967295'],
      [{ nickname: 'x' }, 'extras.nickname', 'nickname is not a known field'],
    ]
    for (const [extras, path, message] of refusals) {
      await expect(createCallToken({ userId: 'alice', callId: 'support', extras } as never, { provider, now })).rejects.toMatchObject({
        code: 'ERR_CALLTOKEN_INVALID_INPUT',
        issues: [{ path, message }],
      })
    }
    await expect(createCallToken({ userId: 'alice', callId: 'support', extras: { metadata: 'x'.repeat(5000) } }, { provider, now })).rejects.toMatchObject({
      issues: [{ path: 'extras', message: 'extras must be at most 4096 bytes as JSON' }],
    })
  })
})

describe('livekit extras properties', { timeout: 120_000 }, () => {
  const numRuns = process.env.CI ? 2000 : 200
  const text = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !/[\uD800-\uDFFF]/.test(s))
  const extras = fc.record(
    {
      name: text,
      metadata: text,
      attributes: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), text, { maxKeys: 4 }),
      canPublishSources: fc.uniqueArray(fc.constantFrom('camera', 'microphone', 'screen_share', 'screen_share_audio'), { minLength: 1 }),
      hidden: fc.boolean(),
    },
    { requiredKeys: [] },
  )

  it('valid extras: the SDK makes the same token, and TokenVerifier reads the same participant', async () => {
    await fc.assert(
      fc.asyncProperty(extras, async (given) => {
        const ours = await createCallToken({ userId: 'alice', callId: 'support', validityInSeconds: 600, extras: given as LiveKitExtras }, { provider, policy, now })
        expect(ours.token).toBe(await sdkToken(given as LiveKitExtras, member))
        const claims = await verifier.verify(ours.token)
        expect(claims.sub).toBe('alice')
        expect(claims.exp).toBe(FIXED_NOW_S + 600)
      }),
      { numRuns },
    )
  })

  it('invalid extras: always a CallTokenError, never a token', async () => {
    const invalid = fc.oneof(
      fc.record({ name: fc.oneof(fc.integer(), fc.constant(''), fc.boolean(), fc.constant(null)) }),
      fc.record({ attributes: fc.oneof(fc.string(), fc.array(fc.string()), fc.dictionary(fc.string(), fc.integer(), { minKeys: 1 })) }),
      fc.record({ canPublishSources: fc.oneof(fc.constant([]), fc.array(fc.string({ minLength: 1 }).filter((s) => !(s in SOURCE)), { minLength: 1 })) }),
      fc.record({ hidden: fc.oneof(fc.string(), fc.integer()) }),
      fc.record({ roomConfig: fc.oneof(fc.string(), fc.record({ maxParticipants: fc.oneof(fc.double({ noInteger: true }), fc.integer({ max: -1 })) })) }),
      fc.dictionary(fc.string({ minLength: 1 }).filter((k) => !['name', 'metadata', 'attributes', 'roomConfig', 'canPublishSources', 'hidden'].includes(k)), fc.anything(), { minKeys: 1 }),
    )
    await fc.assert(
      fc.asyncProperty(invalid, async (given) => {
        const outcome = await createCallToken({ userId: 'alice', callId: 'support', extras: given } as never, { provider, now }).then(
          (issued) => `token ${issued.token} for ${JSON.stringify(given)}`,
          (error: unknown) => isCallTokenError(error),
        )
        expect(outcome).toBe(true)
      }),
      { numRuns },
    )
  })
})
