// liveKitTokenEndpoint as a fetch route: LiveKit's endpoint shape through createFetchTokenRoute.
import { createFetchTokenRoute } from '@calltoken/fetch'
import { liveKitTokenEndpoint, livekit } from '@calltoken/livekit'
import { expect, it } from 'vitest'

const provider = livekit({ apiKey: 'APIfetchendpoint', apiSecret: 'fetchendpointsecret2Wq7Ez4Rt9Yu1Io6Pa3Sd8Fg5Hj0', serverUrl: 'wss://fetch.livekit.cloud' })

it('answers 201 { server_url, participant_token } for the room, and 422 for a field the client may not set', async () => {
  const route = createFetchTokenRoute({ provider, authenticate: () => ({ userId: 'ada' }), prefix: '/api' }, liveKitTokenEndpoint())
  const ask = (body: unknown) => route(new Request('http://app.test/api/tokens/livekit', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))
  const created = await ask({ room_name: 'standup' })
  expect(created.status).toBe(201)
  const answer = (await created.json()) as { server_url: string; participant_token: string }
  expect(answer.server_url).toBe('wss://fetch.livekit.cloud')
  // The adapter's own check (held to livekit-server-sdk's TokenVerifier in @calltoken/livekit's tests).
  expect(await provider.verify(answer.participant_token)).toMatchObject({ userId: 'ada', callId: 'standup' })
  expect((await ask({ room_name: 'standup', participant_name: 'Ada' })).status).toBe(422)
})
