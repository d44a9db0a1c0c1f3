// liveKitTokenEndpoint through the routes' own pipeline (no framework): how each body field of LiveKit's endpoint
// becomes mint input, and what is refused. Its wire interop with livekit-client is tested in @calltoken/express.
import { isCallTokenError } from '@calltoken/core'
import { createTokenHandler, type Principal } from '@calltoken/core/http'
import { liveKitTokenEndpoint, livekit } from '@calltoken/livekit'
import { TokenVerifier } from 'livekit-server-sdk'
import { describe, expect, it } from 'vitest'

const API_KEY = 'APIendpointunit1'
const API_SECRET = 'endpointunitsecret5Hq9Lm2Vx7Cz4Bn8Kw1Pd6Ty3Rf0'
const provider = livekit({ apiKey: API_KEY, apiSecret: API_SECRET, serverUrl: 'wss://unit.livekit.cloud' })

type Req = { user?: string }
const principalOf = (req: Req): Principal | null => (req.user ? { userId: req.user } : null)

async function ask(body: unknown, options: { user?: string; anonymous?: boolean; spec?: ReturnType<typeof liveKitTokenEndpoint<Req>> } = {}) {
  const handler = createTokenHandler<typeof provider, Req>(
    options.anonymous ? { provider, allowAnonymous: true, rateLimit: false } : { provider, authenticate: principalOf, rateLimit: false },
  )
  const spec = options.spec ?? liveKitTokenEndpoint<Req>({ clientFields: ['participant_name', 'participant_metadata', 'participant_attributes', 'room_config'] })
  const answer = await handler.handleRoute(spec, { headers: { 'content-type': 'application/json' }, rawBody: JSON.stringify(body), req: { user: options.user } })
  return answer as { status: number; body: any }
}

const claimsOf = (token: string) => new TokenVerifier(API_KEY, API_SECRET).verify(token)

describe('liveKitTokenEndpoint', () => {
  it('maps each field of the endpoint to the token: room, identity, name, metadata, attributes, room_config in protobuf names', async () => {
    const answer = await ask(
      {
        room_name: 'support',
        participant_name: 'Alice',
        participant_metadata: '{"plan":"pro"}',
        participant_attributes: { team: 'blue', agent_name: 'kept as a key' },
        room_config: { max_participants: 4, empty_timeout: 60, agents: [{ agent_name: 'support-bot', metadata: 'm', attributes: { first_key: 'v' } }], tags: { cost_center: 'x' } },
      },
      { user: 'alice' },
    )
    expect(answer.status).toBe(201)
    expect(answer.body.server_url).toBe('wss://unit.livekit.cloud')
    const claims = await claimsOf(answer.body.participant_token)
    expect(claims).toMatchObject({ sub: 'alice', name: 'Alice', metadata: '{"plan":"pro"}', attributes: { team: 'blue', agent_name: 'kept as a key' } })
    expect(claims.video).toMatchObject({ room: 'support', roomJoin: true })
    // Map keys (attributes, tags) are data and keep their spelling; field names become the token's JSON names.
    expect(claims.roomConfig).toMatchObject({ maxParticipants: 4, emptyTimeout: 60, agents: [{ agentName: 'support-bot', metadata: 'm', attributes: { first_key: 'v' } }], tags: { cost_center: 'x' } })
  })

  it('takes camelCase room_config too (both are protobuf JSON)', async () => {
    const answer = await ask({ room_name: 'support', room_config: { agents: [{ agentName: 'bot' }] } }, { user: 'alice' })
    expect((await claimsOf(answer.body.participant_token)).roomConfig?.agents?.[0]?.agentName).toBe('bot')
  })

  it('uses the principal as the identity, and refuses another one as /tokens/call does (403)', async () => {
    expect((await claimsOf((await ask({ room_name: 'r' }, { user: 'bob' })).body.participant_token)).sub).toBe('bob')
    expect((await ask({ room_name: 'r', participant_identity: 'bob' }, { user: 'bob' })).status).toBe(201)
    const other = await ask({ room_name: 'r', participant_identity: 'carol' }, { user: 'bob' })
    expect(other.status).toBe(403)
    expect(other.body.code).toBe('ERR_CALLTOKEN_FORBIDDEN')
  })

  it('needs participant_identity when anonymous requests are allowed', async () => {
    const missing = await ask({ room_name: 'r' }, { anonymous: true })
    expect(missing.status).toBe(422)
    expect(missing.body.issues).toEqual([{ path: 'participant_identity', message: 'participant_identity is required and must be a string' }])
    expect((await ask({ room_name: 'r', participant_identity: 'guest-1' }, { anonymous: true })).status).toBe(201)
  })

  it('refuses by default every field beyond room_name and participant_identity, naming each', async () => {
    const spec = liveKitTokenEndpoint<Req>()
    const answer = await ask({ room_name: 'r', participant_name: 'A', room_config: {} }, { user: 'alice', spec })
    expect(answer.status).toBe(422)
    expect(answer.body.issues.map((issue: { path: string }) => issue.path)).toEqual(['participant_name', 'room_config'])
  })

  it("refuses wrong types and values with the adapter's own checks, never a token", async () => {
    for (const body of [
      { room_name: 42 },
      { room_name: 'r', participant_identity: ['a'] },
      { room_name: 'r', participant_name: 7 },
      { room_name: 'r', participant_attributes: { a: 1 } },
      { room_name: 'r', room_config: { max_participants: 'many' } },
      { room_name: 'r', room_config: { unknown_field: true } },
      { room_name: 'r', room_config: { agents: 'bot' } },
      { room_name: '' },
    ]) {
      const answer = await ask(body, { user: 'alice' })
      expect(answer.status, JSON.stringify(body)).toBe(422)
      expect(JSON.stringify(answer.body)).not.toMatch(/eyJ/)
    }
  })

  it('has its own name, path and status, and checks clientFields at start-up', () => {
    expect(liveKitTokenEndpoint()).toMatchObject({ name: 'livekit', kind: 'call', method: 'post', path: '/tokens/livekit', status: 201 })
    expect(liveKitTokenEndpoint({ path: '/connection-details', name: 'lk' })).toMatchObject({ name: 'lk', path: '/connection-details' })
    let error: unknown
    try {
      liveKitTokenEndpoint({ clientFields: ['participant_identity' as never] })
    } catch (caught) {
      error = caught
    }
    expect(isCallTokenError(error) && error.code).toBe('ERR_CALLTOKEN_INVALID_CONFIG')
  })
})
