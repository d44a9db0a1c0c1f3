import { twilioConnect, twilioToken, type TwilioConnect } from '@calltoken/client/twilio'
import type { connect as twilioVideoConnect, ConnectOptions, Room } from 'twilio-video'
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import { glueSources, response, type Handler } from './fake-server'

// twilio-video loads in Node, but connect() would reach Twilio: the real connect's type is checked, a fake runs.
let minted = 0
const mintTwilio: Handler = () => {
  minted++
  const data = { token: `twilio-${minted}`, userId: 'ada', callId: 'standup', validityInSeconds: 3600, expiresAt: new Date(Date.now() + 3600_000).toISOString(), refreshToken: `rt-${minted}`, identity: 'ada', roomName: 'standup' }
  return response(200, { success: true, data })
}

const glue = glueSources()
function setup() {
  minted = 0
  return glue.setup<TwilioConnect>(mintTwilio)
}
afterEach(() => glue.stopAll())

describe('twilio', () => {
  it('twilioConnect takes the real Video.connect and answers its Room', () => {
    const { source } = setup()
    const withRealConnect = (connect: typeof twilioVideoConnect) => twilioConnect(source, connect, { audio: true, video: false })
    expectTypeOf(withRealConnect).returns.resolves.toEqualTypeOf<Room>()
  })

  it('connects with a freshly minted token to the room the token is for', async () => {
    const { server, source } = setup()
    await source.get() // a cached token is not used: the room lives on the token it connects with
    const connect = vi.fn(async (token: string, options?: ConnectOptions) => ({ token, options }))
    const room = await twilioConnect(source, connect, { audio: true })
    expect(connect).toHaveBeenCalledWith('twilio-2', { audio: true, name: 'standup' })
    expect(room.token).toBe('twilio-2')
    expect(server.calls.map((c) => c.url)).toEqual(['/api/tokens/call', '/api/tokens/refresh'])
  })

  it('an explicit options.name wins; without options the name alone is passed', async () => {
    const { source } = setup()
    const connect = vi.fn(async () => 'room')
    await twilioConnect(source, connect, { name: 'other' })
    expect(connect).toHaveBeenLastCalledWith('twilio-1', { name: 'other' })
    await twilioConnect(source, connect)
    expect(connect).toHaveBeenLastCalledWith('twilio-2', { name: 'standup' })
  })

  it('twilioToken gives what Video.connect(token, { name: roomName }) needs', async () => {
    const { source } = setup()
    const args = await twilioToken(source)
    expect(args).toMatchObject({ token: 'twilio-1', roomName: 'standup', identity: 'ada' })
    expect(args.expiresAt).toBeInstanceOf(Date)
  })

  it('a connect failure rejects as the SDK does', async () => {
    const { source } = setup()
    const failure = Object.assign(new Error('Access Token expired'), { code: 20104 })
    await expect(twilioConnect(source, async () => Promise.reject(failure))).rejects.toBe(failure)
  })
})
