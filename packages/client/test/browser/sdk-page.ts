// Bundled by sdks-in-browser.test.ts into a page: each glue drives the real client SDK until it reaches for the
// network, which the test blocks. What each SDK then did is returned for the test to check.
import AgoraRTC from 'agora-rtc-sdk-ng'
import Daily from '@daily-co/daily-js'
import { Room } from 'livekit-client'
import * as Video from 'twilio-video'
import ZoomVideo from '@zoom/videosdk'
import { agoraRenewal } from '../../src/agora'
import { dailyJoin } from '../../src/daily'
import { createTokenSource, type TokenAnswer } from '../../src/index'
import { liveKitConnect } from '../../src/livekit'
import { twilioConnect } from '../../src/twilio'
import { zoomJoin } from '../../src/zoom'

export interface Outcome {
  readonly ok: boolean
  readonly name?: string
  readonly type?: string
  readonly code?: unknown
  readonly message?: string
}

let minted = 0
/** A source whose route answers a JWT-shaped token and the given connect fields. */
const sourceWith = (connect: object) =>
  createTokenSource({ fetchToken: async (): Promise<TokenAnswer> => ({ token: `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.test-${++minted}`, expiresAt: Date.now() + 600_000, ...connect }) })

const outcome = (promise: Promise<unknown>): Promise<Outcome> =>
  promise.then(
    () => ({ ok: true }),
    (error) => ({ ok: false, name: error?.name, type: error?.type, code: error?.code, message: String(error?.message ?? error?.reason ?? error) }),
  )

async function run() {
  const livekit = await outcome(liveKitConnect(sourceWith({ identity: 'ada', serverUrl: 'ws://127.0.0.1:9', roomName: 'standup' }), new Room()))
  const zoom = await outcome(zoomJoin(sourceWith({ sessionName: 'standup', userKey: 'ada' }), ZoomVideo.createClient(), { userName: 'Ada' }))
  const daily = await outcome(dailyJoin(sourceWith({ roomName: 'standup', userId: 'ada', roomUrl: 'https://calltoken-test.daily.co/standup' }), Daily.createCallObject()))
  const twilio = await outcome(twilioConnect(sourceWith({ identity: 'ada', roomName: 'standup' }), Video.connect, { audio: false, video: false }))

  // Agora: the real client's state and events; its join is wrapped only to record the arguments it was given.
  const client = AgoraRTC.createClient({ mode: 'rtc', codec: 'vp8' })
  const joins: unknown[][] = []
  const join = client.join.bind(client)
  client.join = (...args: Parameters<typeof join>) => (joins.push(args), join(...args))
  const renewals: string[] = []
  const renew = client.renewToken.bind(client)
  client.renewToken = (token: string) => (renewals.push(token), renew(token))
  const source = sourceWith({ service: 'rtc', appId: '0123456789abcdef0123456789abcdef', channelName: 'standup', uid: 42 })
  agoraRenewal(source, client, { onError: () => {} })
  const stateBefore = client.connectionState
  await source.refresh() // a new token while not joined: no renewToken on a DISCONNECTED client
  ;(client as unknown as { emit(event: string): void }).emit('token-privilege-did-expire')
  await new Promise((resolve) => setTimeout(resolve, 300))
  const agora = { state: stateBefore, joins, renewals }
  source.stop()
  return { livekit, zoom, daily, twilio, agora }
}

;(globalThis as { runSdks?: typeof run }).runSdks = run
