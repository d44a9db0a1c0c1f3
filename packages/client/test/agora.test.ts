import { agoraRenewal, agoraRtmRenewal, type AgoraConnect, type AgoraRtcClientLike, type AgoraRtmClientLike } from '@calltoken/client/agora'
import type { IAgoraRTCClient } from 'agora-rtc-sdk-ng'
import type { RTMClient } from 'agora-rtm'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTokenSource, type TokenSource } from '../src/index'
import { failWith, fakeServer, response, type Handler } from './fake-server'

// agora-rtc-sdk-ng needs `window` to load, so it runs here as a structural fake; its own type is checked to fit.
const fits: (client: IAgoraRTCClient) => AgoraRtcClientLike = (client) => client
const fitsRtm: (client: RTMClient) => AgoraRtmClientLike = (client) => client
void fits, fitsRtm

const S = 1000
let server: ReturnType<typeof fakeServer>
let sources: TokenSource<any>[] = []

function fakeClient() {
  const listeners = new Map<string, Set<() => void>>()
  const client = {
    connectionState: 'CONNECTED' as string,
    renewed: [] as string[],
    joined: [] as unknown[][],
    on: (event: string, listener: () => void) => void (listeners.get(event) ?? listeners.set(event, new Set()).get(event)!).add(listener),
    off: (event: string, listener: () => void) => void listeners.get(event)?.delete(listener),
    emit: (event: string) => listeners.get(event)?.forEach((l) => l()),
    count: (event: string) => listeners.get(event)?.size ?? 0,
    renewToken: vi.fn(async (token: string) => void client.renewed.push(token)),
    join: vi.fn(async (...args: [string, string, string | null, (string | number | null)?]) => (client.joined.push(args), args[3])),
  }
  return client
}

/** The Agora RTC route: tokens with appId, channelName and uid beside them. */
let minted = 0
const mintAgora: Handler = () => {
  minted++
  const data = { token: `007-${minted}`, userId: '42', callId: 'standup', validityInSeconds: 600, expiresAt: new Date(Date.now() + 600 * S).toISOString(), refreshToken: `rt-${minted}`, service: 'rtc', appId: 'app-1', channelName: 'standup', uid: 42 }
  return response(200, { success: true, data })
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2030, 0, 1) })
  server = fakeServer()
  server.mint = mintAgora
  minted = 0
})
afterEach(() => {
  for (const s of sources) s.stop()
  sources = []
  vi.useRealTimers()
})

async function joined() {
  const source = createTokenSource<AgoraConnect>({ url: '/api/tokens/call', body: { callId: 'standup' }, fetch: server.fetch, random: () => 0.5 })
  sources.push(source)
  const client = fakeClient()
  const first = await source.get()
  return { source, client, first }
}

describe('agoraRenewal', () => {
  it('passes every refreshed token to client.renewToken before Agora warns', async () => {
    const { source, client } = await joined()
    agoraRenewal(source, client)
    await vi.advanceTimersByTimeAsync(480 * S)
    expect(client.renewed).toEqual(['007-2'])
    await vi.advanceTimersByTimeAsync(480 * S)
    expect(client.renewed).toEqual(['007-2', '007-3'])
  })

  it('token-privilege-will-expire asks for a new token and renews with it', async () => {
    const { source, client } = await joined()
    agoraRenewal(source, client)
    client.emit('token-privilege-will-expire')
    await vi.advanceTimersByTimeAsync(0)
    expect(client.renewed).toEqual(['007-2'])
    expect(server.calls[1]).toMatchObject({ url: '/api/tokens/refresh', body: { refreshToken: 'rt-1' } })
  })

  it('token-privilege-did-expire joins again with a new token, appId, channel and uid', async () => {
    const { source, client } = await joined()
    agoraRenewal(source, client)
    client.emit('token-privilege-did-expire')
    await vi.advanceTimersByTimeAsync(0)
    expect(client.joined).toEqual([['app-1', 'standup', '007-2', 42]])
  })

  it('does not renew while the client is disconnected (not joined, or thrown out before did-expire rejoins)', async () => {
    const { source, client } = await joined()
    Object.assign(client, { connectionState: 'DISCONNECTED' })
    agoraRenewal(source, client)
    await vi.advanceTimersByTimeAsync(480 * S)
    expect(client.renewed).toEqual([])
    client.emit('token-privilege-did-expire')
    await vi.advanceTimersByTimeAsync(0)
    expect(client.renewed).toEqual([])
    expect(client.joined).toEqual([['app-1', 'standup', '007-3', 42]])
    Object.assign(client, { connectionState: 'CONNECTED' })
    await vi.advanceTimersByTimeAsync(480 * S)
    expect(client.renewed).toEqual(['007-4'])
  })

  it('a rejoin of your own replaces the default join', async () => {
    const { source, client } = await joined()
    const rejoin = vi.fn()
    agoraRenewal(source, client, { rejoin })
    client.emit('token-privilege-did-expire')
    await vi.advanceTimersByTimeAsync(0)
    expect(rejoin).toHaveBeenCalledWith(expect.objectContaining({ token: '007-2', channelName: 'standup' }))
    expect(client.joined).toEqual([])
  })

  it('reports a refused session and a failing renewToken to onError', async () => {
    const { source, client } = await joined()
    const onError = vi.fn()
    client.renewToken.mockRejectedValueOnce(new Error('AgoraRTCError INVALID_OPERATION'))
    agoraRenewal(source, client, { onError })
    await vi.advanceTimersByTimeAsync(480 * S)
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'AgoraRTCError INVALID_OPERATION' }))
    server.script.push(failWith(403, 'ERR_CALLTOKEN_FORBIDDEN'))
    client.emit('token-privilege-will-expire')
    await vi.advanceTimersByTimeAsync(0)
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'ERR_CALLTOKEN_FORBIDDEN', status: 403 }))
  })

  it('the returned function unwires the events and the subscription', async () => {
    const { source, client } = await joined()
    const unwire = agoraRenewal(source, client)
    expect(client.count('token-privilege-will-expire')).toBe(1)
    expect(client.count('token-privilege-did-expire')).toBe(1)
    unwire()
    expect(client.count('token-privilege-will-expire')).toBe(0)
    expect(client.count('token-privilege-did-expire')).toBe(0)
    await vi.advanceTimersByTimeAsync(480 * S)
    expect(client.renewed).toEqual([])
  })
})

describe('agoraRtmRenewal', () => {
  function fakeRtm() {
    const listeners = new Set<(channelName: string) => void>()
    return {
      renewed: [] as string[],
      renewToken: vi.fn(async function (this: void, token: string) {
        rtm.renewed.push(token)
        return {}
      }),
      addEventListener: (_event: 'tokenPrivilegeWillExpire', listener: (channelName: string) => void) => void listeners.add(listener),
      removeEventListener: (_event: 'tokenPrivilegeWillExpire', listener: (channelName: string) => void) => void listeners.delete(listener),
      emit: (channelName: string) => listeners.forEach((l) => l(channelName)),
      get listeners() {
        return listeners.size
      },
    }
  }
  let rtm: ReturnType<typeof fakeRtm>

  it('renews the login token with every refreshed one, and at once when RTM warns about the login', async () => {
    const { source } = await joined()
    rtm = fakeRtm()
    agoraRtmRenewal(source, rtm)
    await vi.advanceTimersByTimeAsync(480 * S)
    expect(rtm.renewed).toEqual(['007-2'])
    rtm.emit('')
    await vi.advanceTimersByTimeAsync(0)
    expect(rtm.renewed).toEqual(['007-2', '007-3'])
  })

  it("leaves a stream channel's own token alone, reports failures, and unwires", async () => {
    const { source } = await joined()
    rtm = fakeRtm()
    const onError = vi.fn()
    const unwire = agoraRtmRenewal(source, rtm, { onError })
    rtm.emit('stream-channel-1')
    await vi.advanceTimersByTimeAsync(0)
    expect(server.calls.length).toBe(1)
    rtm.renewToken.mockRejectedValueOnce(new Error('RTM renew failed'))
    await vi.advanceTimersByTimeAsync(480 * S)
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'RTM renew failed' }))
    unwire()
    expect(rtm.listeners).toBe(0)
    await vi.advanceTimersByTimeAsync(480 * S)
    expect(rtm.renewed).toEqual([])
  })
})
