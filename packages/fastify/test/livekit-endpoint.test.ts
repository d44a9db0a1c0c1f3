// liveKitTokenEndpoint as a Fastify route: LiveKit's endpoint shape through tokenRoute.
import { tokenRoute } from '@calltoken/fastify'
import { liveKitTokenEndpoint, livekit } from '@calltoken/livekit'
import { expect, it } from 'vitest'
import { injectClient } from './support/inject-client'

const provider = livekit({ apiKey: 'APIfastifyendpnt', apiSecret: 'fastifyendpointsecret6Lk1Mn8Bv3Cx5Zq2We9Rt4Yu7', serverUrl: 'wss://fastify.livekit.cloud' })

it('answers 201 { server_url, participant_token } for the room, and 422 for a field the client may not set', async () => {
  const client = await injectClient((app) => app.register(tokenRoute, { provider, authenticate: () => ({ userId: 'ada' }), prefix: '/api', route: liveKitTokenEndpoint() }))
  const created = await client.post('/api/tokens/livekit', { body: { room_name: 'standup' } })
  expect(created.status).toBe(201)
  const answer = created.body as { server_url: string; participant_token: string }
  expect(answer.server_url).toBe('wss://fastify.livekit.cloud')
  // The adapter's own check (held to livekit-server-sdk's TokenVerifier in @calltoken/livekit's tests).
  expect(await provider.verify(answer.participant_token)).toMatchObject({ userId: 'ada', callId: 'standup' })
  expect((await client.post('/api/tokens/livekit', { body: { room_name: 'standup', participant_name: 'Ada' } })).status).toBe(422)
  await client.close()
})
