// LiveKit's standard token endpoint, served by createTokenRoute and read by livekit-client's own
// TokenSource.endpoint over real HTTP; the tokens are checked with livekit-server-sdk's TokenVerifier.
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { bearerJwt, createTokenRoute } from '@calltoken/express'
import { liveKitTokenEndpoint, livekit } from '@calltoken/livekit'
import express from 'express'
import { SignJWT } from 'jose'
import { TokenSource } from 'livekit-client'
import { TokenVerifier } from 'livekit-server-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const API_KEY = 'APIendpointkey01'
const API_SECRET = 'endpointlivekitsecret8Qm2Xz6Rt1Yw5Pk9Ns3Jd7Hg0'
const SERVER_URL = 'wss://calltoken-test.livekit.cloud'
const SESSION_SECRET = 'endpoint-session-secret-0123456789abcdef'

const session = (sub: string) => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('5m').sign(new TextEncoder().encode(SESSION_SECRET))

let base = ''
const servers: Server[] = []
const issued: string[] = []

function serve(app: express.Express): Promise<string> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))
    servers.push(server)
  })
}

beforeAll(async () => {
  const options = {
    provider: livekit({ apiKey: API_KEY, apiSecret: API_SECRET, serverUrl: SERVER_URL }),
    authenticate: bearerJwt({ secret: SESSION_SECRET }),
    onIssued: ({ issued: token }: { issued: { token: string } }) => void issued.push(token.token),
  }
  const app = express()
    .use('/api', createTokenRoute(options, liveKitTokenEndpoint({ clientFields: ['participant_name', 'participant_attributes', 'room_config'] })))
    .use('/bare', createTokenRoute({ ...options, provider: livekit({ apiKey: API_KEY, apiSecret: API_SECRET }) }, liveKitTokenEndpoint()))
  base = await serve(app)
})
afterAll(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))))

const verify = (token: string) => new TokenVerifier(API_KEY, API_SECRET).verify(token)
const post = async (path: string, body: unknown, user = 'alice') =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await session(user)}` }, body: JSON.stringify(body) })

describe("LiveKit's endpoint shape, read by livekit-client's TokenSource.endpoint", () => {
  it('answers server_url and participant_token for the room and the signed-in identity, with the allowed fields', async () => {
    const source = TokenSource.endpoint(`${base}/api/tokens/livekit`, { headers: { authorization: `Bearer ${await session('alice')}` } })
    const asked = { roomName: 'standup', participantName: 'Alice', participantAttributes: { team: 'blue' }, agentName: 'support-bot', agentMetadata: '{"lang":"en"}' }
    const answer = await source.fetch(asked)
    expect(answer.serverUrl).toBe(SERVER_URL)
    const claims = await verify(answer.participantToken)
    expect(claims.sub).toBe('alice')
    expect(claims.video).toMatchObject({ room: 'standup', roomJoin: true })
    expect(claims.name).toBe('Alice')
    expect(claims.attributes).toEqual({ team: 'blue' })
    expect(claims.roomConfig?.agents?.[0]).toMatchObject({ agentName: 'support-bot', metadata: '{"lang":"en"}' })
    expect(Math.abs(claims.exp! - Date.now() / 1000 - 3600)).toBeLessThan(5) // the default validity
    // The same options again (livekit-client compares participantAttributes by reference): served from its cache.
    const count = issued.length
    expect((await source.fetch(asked)).participantToken).toBe(answer.participantToken)
    expect(issued.length).toBe(count)
  })

  it('answers 201 Created with no-store, as LiveKit specifies', async () => {
    const response = await post('/api/tokens/livekit', { room_name: 'standup' })
    expect(response.status).toBe(201)
    expect(response.headers.get('cache-control')).toContain('no-store')
    expect(Object.keys(await response.json()).sort()).toEqual(['participant_token', 'server_url'])
  })

  it('refuses with 4xx what the client may not set, and livekit-client reports the status', async () => {
    const source = TokenSource.endpoint(`${base}/api/tokens/livekit`, { headers: { authorization: `Bearer ${await session('alice')}` } })
    await expect(source.fetch({ roomName: 'standup', participantMetadata: '{"admin":true}' })).rejects.toThrow(/received 422/)
    await expect(source.fetch({ roomName: 'standup', participantIdentity: 'mallory' })).rejects.toThrow(/received 403/)
    await expect(TokenSource.endpoint(`${base}/api/tokens/livekit`).fetch({ roomName: 'standup' })).rejects.toThrow(/received 401/)
    const unknown = await post('/api/tokens/livekit', { room_name: 'standup', role: 'admin' })
    expect(unknown.status).toBe(422)
    expect((await unknown.json()).issues).toEqual([{ path: 'role', message: "role is not a field of LiveKit's token endpoint" }])
    const noRoom = await post('/api/tokens/livekit', {})
    expect(noRoom.status).toBe(422)
    expect((await noRoom.json()).issues[0].path).toBe('room_name')
    const badConfig = await post('/api/tokens/livekit', { room_name: 'standup', room_config: { max_participants: -1 } })
    expect(badConfig.status).toBe(422)
  })

  it('never answers a token without a server_url: an adapter without serverUrl is a configuration error, not a half answer', async () => {
    const response = await post('/bare/tokens/livekit', { room_name: 'standup' })
    expect(response.status).toBe(500)
    const body = await response.json()
    expect(body.code).toBe('ERR_CALLTOKEN_INVALID_CONFIG')
    expect(JSON.stringify(body)).not.toMatch(/eyJ/)
  })
})
