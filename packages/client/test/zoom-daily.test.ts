import { dailyJoin, type DailyConnect } from '@calltoken/client/daily'
import { zoomJoin, type ZoomClientLike, type ZoomConnect } from '@calltoken/client/zoom'
import type { DailyCall } from '@daily-co/daily-js'
import type ZoomVideo from '@zoom/videosdk'
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import { glueSources, response, type Handler } from './fake-server'

// @zoom/videosdk and daily-js need a browser to load and a network to join: their real client types are checked
// to fit the glue, and structural fakes record the joins.
let minted = 0
const mintWith =
  (connect: Record<string, string>): Handler =>
  () => {
    minted++
    const data = { token: `jwt-${minted}`, userId: 'ada', callId: 'standup', validityInSeconds: 3600, expiresAt: new Date(Date.now() + 3600_000).toISOString(), refreshToken: `rt-${minted}`, ...connect }
    return response(200, { success: true, data })
  }

const glue = glueSources()
function setup<C extends object>(connect: Record<string, string>) {
  minted = 0
  return glue.setup<C>(mintWith(connect))
}
afterEach(() => glue.stopAll())

describe('zoom', () => {
  it("the real Video SDK client fits", () => {
    expectTypeOf<ReturnType<typeof ZoomVideo.createClient>>().toExtend<ZoomClientLike>()
  })

  it('joins with a fresh token under the exact session name the token holds', async () => {
    const { server, source } = setup<ZoomConnect>({ sessionName: 'Team Standup', userKey: 'ada' })
    await source.get()
    const client = { join: vi.fn(async () => '') }
    await zoomJoin(source, client, { userName: 'Ada', sessionPassword: 'pw' })
    expect(client.join).toHaveBeenCalledWith('Team Standup', 'jwt-2', 'Ada', 'pw', undefined)
    expect(server.urls()).toEqual(['/api/tokens/call', '/api/tokens/refresh'])
  })

  it("refuses to join without a session name, and rejects as the SDK's join does", async () => {
    const { source } = setup<ZoomConnect>({})
    await expect(zoomJoin(source, { join: vi.fn() }, { userName: 'Ada' })).rejects.toThrow(/no sessionName/)
    const { source: zoom } = setup<ZoomConnect>({ sessionName: 's', userKey: 'ada' })
    const failure = { type: 'INVALID_PARAMETERS', reason: 'Invalid signature' }
    await expect(zoomJoin(zoom, { join: () => Promise.reject(failure) }, { userName: 'Ada' })).rejects.toBe(failure)
  })
})

describe('daily', () => {
  it('the real call object fits', () => {
    const { source } = setup<DailyConnect>({})
    const withRealCall = (call: DailyCall) => dailyJoin(source, call, { userName: 'Ada', startVideoOff: true })
    expectTypeOf(withRealCall).returns.resolves.toBeUnknown()
  })

  it('joins at the room URL of the answer with a fresh token, other properties passed through', async () => {
    const { server, source } = setup<DailyConnect>({ roomName: 'standup', userId: 'ada', roomUrl: 'https://acme.daily.co/standup' })
    const call = { join: vi.fn(async (_properties?: { url?: string; token?: string; userName?: string }) => ({})) }
    await dailyJoin(source, call, { userName: 'Ada' })
    expect(call.join).toHaveBeenCalledWith({ userName: 'Ada', url: 'https://acme.daily.co/standup', token: 'jwt-1' })
    await dailyJoin(source, call, { url: 'https://acme.daily.co/other' })
    expect(call.join).toHaveBeenLastCalledWith({ url: 'https://acme.daily.co/other', token: 'jwt-2' })
    expect(server.calls.length).toBe(2)
  })

  it('says what to set when there is no room URL', async () => {
    const { source } = setup<DailyConnect>({ roomName: 'standup', userId: 'ada' })
    await expect(dailyJoin(source, { join: vi.fn() })).rejects.toThrow(/no room URL/)
  })
})
