import { createCallToken } from '@calltoken/core'
import { liveKitConnect, liveKitTokenSource, type LiveKitConnect } from '@calltoken/client/livekit'
import { livekit } from '@calltoken/livekit'
import { decodeTokenPayload, Room, TokenSource as LiveKitTokenSources, type TokenSourceFixed } from 'livekit-client'
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import { fakeServer, glueSources, response, type Handler } from './fake-server'

// livekit-client loads in Node: its own TokenSource.custom and decodeTokenPayload run on tokens the LiveKit adapter
// minted; Room.connect would reach a server, so its type is checked and a fake runs.
const provider = livekit({ apiKey: 'APIclientglue01', apiSecret: 'clientgluesecret3Vb8Nm1Qw6Er9Ty2Ui5Op7As4Df0', serverUrl: 'wss://glue.livekit.cloud' })
let minted = 0

const mintLiveKit: Handler = async () => {
  minted++
  const issued = await createCallToken({ userId: 'ada', callId: 'standup', validityInSeconds: 600 }, { provider })
  const data = { token: issued.token, userId: 'ada', callId: 'standup', validityInSeconds: 600, expiresAt: issued.expiresAt.toISOString(), refreshToken: `rt-${minted}`, ...issued.connect }
  return response(200, { success: true, data })
}

const glue = glueSources()
const setup = () => glue.setup<LiveKitConnect>(mintLiveKit)
afterEach(() => glue.stopAll())

describe('livekit', () => {
  it("is a livekit-client TokenSourceFixed, and connects a real Room's type", () => {
    const { source } = setup()
    expectTypeOf(liveKitTokenSource(source)).toExtend<TokenSourceFixed>()
    const withRealRoom = (room: Room) => liveKitConnect(source, room, { autoSubscribe: false })
    expectTypeOf(withRealRoom).returns.resolves.toEqualTypeOf<void>()
  })

  it('answers the server URL and the token, cached by the source, which livekit-client decodes', async () => {
    const { server, source } = setup()
    const tokenSource = liveKitTokenSource(source)
    const details = await tokenSource.fetch()
    expect(details.serverUrl).toBe('wss://glue.livekit.cloud')
    const payload = decodeTokenPayload(details.participantToken)
    expect(payload.sub).toBe('ada')
    expect(payload.video).toMatchObject({ room: 'standup', roomJoin: true })
    expect((await tokenSource.fetch()).participantToken).toBe(details.participantToken)
    expect(server.urls()).toEqual(['/api/tokens/call'])
  })

  it("works inside livekit-client's own TokenSource.custom, whose cache accepts the token's expiry", async () => {
    const { server, source } = setup()
    const glue = liveKitTokenSource(source)
    const wrapped = LiveKitTokenSources.custom(() => glue.fetch())
    const first = await wrapped.fetch({})
    expect((await wrapped.fetch({})).participantToken).toBe(first.participantToken)
    expect(first.serverUrl).toBe('wss://glue.livekit.cloud')
    expect(server.calls.length).toBe(1)
  })

  it('connects with serverUrl and token, options passed through; an explicit serverUrl wins', async () => {
    const { source } = setup()
    const room = { connect: vi.fn(async (_url: string, _token: string, _options?: { autoSubscribe?: boolean }) => {}) }
    await liveKitConnect(source, room, { autoSubscribe: false })
    expect(room.connect).toHaveBeenCalledWith('wss://glue.livekit.cloud', expect.stringMatching(/^eyJ/), { autoSubscribe: false })
    await liveKitConnect(source, room, { serverUrl: 'wss://self-hosted.example' })
    expect(room.connect.mock.calls[1]![0]).toBe('wss://self-hosted.example')
    expect(room.connect.mock.calls[1]![2]).toEqual({}) // serverUrl is the glue's, not room.connect's
  })

  it('says what to set when the answer has no serverUrl', async () => {
    const { source } = glue.setup(fakeServer().mint) // the fake routes' plain answer: no serverUrl
    await expect(liveKitTokenSource(source).fetch()).rejects.toThrow(/no serverUrl/)
  })
})
