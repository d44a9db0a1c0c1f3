import { definePolicy } from '@calltoken/core'
import type { CallTokenRouteOptions, TokenIssuedEvent } from '@calltoken/core/http'
import { describe, expect, it } from 'vitest'
import { FIXED_NOW_MS } from './clock'
import type { ContractClient, ContractContext } from './http-contract'

// 'guest' has member's capabilities: on Agora both map to one provider role, so only the refresh token can tell them apart.
const policy = definePolicy({ roles: { guest: ['join-call', 'publish-audio', 'publish-video'] } })
const ROLES = ['member', 'guest', 'moderator', 'admin'] as const
const KINDS = ['user', 'call-restricted user', 'call'] as const
const MINUTE = 60_000

/** /tokens/refresh: a fresh request for the same scope, judged as of now, within the session's deadline. */
export function describeRefresh({ provider, userId, callId, other, userBody, userTokenNeedsCall, validity, open, headerAuth, asUser, body, expectError }: ContractContext): void {
  const seconds = (ms: number) => Math.floor(ms / 1000)
  const isoAt = (s: number) => new Date(s * 1000).toISOString()

  /** A client on a clock the test moves, recording what onIssued sees. */
  async function clocked(options: Partial<CallTokenRouteOptions> = {}) {
    const state = { now: FIXED_NOW_MS, issued: [] as TokenIssuedEvent[] }
    const client = await open({ authenticate: headerAuth, policy, now: () => state.now, onIssued: (event) => void state.issued.push(event), ...options })
    return { client, state }
  }
  const refresh = (client: ContractClient, refreshToken: unknown, headers: Record<string, string> = {}) =>
    client.post('/api/tokens/refresh', { body: { refreshToken }, headers })

  describe('refresh', () => {
    for (const role of ROLES) {
      for (const kind of KINDS) {
        it(`renews exactly the scope of a ${role}'s ${kind} token: kind, user, call, policy role, validity`, async () => {
          const { client, state } = await clocked()
          const headers = asUser(userId, [role])
          // A "user" token names no call, unless the provider's user tokens always do.
          const bare = kind === 'user' && !userTokenNeedsCall
          const request =
            kind === 'call' ? ['/api/tokens/call', { callId, role, validityInSeconds: 1800 }] : ['/api/tokens/user', { validityInSeconds: 1800, ...(bare ? {} : { callId }) }]
          const first = body(await client.post(request[0] as string, { body: request[1], headers })).data!
          expect(first.refreshToken).toEqual(expect.any(String))
          state.now += 10 * MINUTE
          const response = await refresh(client, first.refreshToken, headers)
          expect(response.status).toBe(200)
          const data = body(response).data!
          const { token: _t, refreshToken: _r, expiresAt: _e, ...scope } = first
          expect(data).toEqual({ ...scope, token: expect.any(String), refreshToken: expect.any(String), expiresAt: isoAt(seconds(state.now) + 1800) })
          expect(data.role).toBe(kind === 'call' ? role : undefined)
          expect(data.callId).toBe(bare ? undefined : callId)
          const decoded = await provider.verify(data.token as string, { now: () => state.now })
          expect(decoded).toMatchObject({ userId, expiresAt: seconds(state.now) + 1800 })
          expect(decoded.callId).toBe(bare ? undefined : callId)
          const recorded = state.issued.map((e) => ({ route: e.route, kind: e.kind, role: e.issued.role, callId: e.issued.callId }))
          const tokenKind = kind === 'call' ? 'call' : 'user'
          const expected = { kind: tokenKind, role: kind === 'call' ? role : undefined, callId: bare ? undefined : callId }
          expect(recorded).toEqual([
            { route: tokenKind, ...expected },
            { route: 'refresh', ...expected },
          ])
          // The renewed refresh token renews the same scope again.
          state.now += 10 * MINUTE
          expect(body(await refresh(client, data.refreshToken, headers)).data).toMatchObject({ ...scope, expiresAt: isoAt(seconds(state.now) + 1800) })
        })
      }
    }

    it('a demoted principal cannot renew a role it no longer has (403), as /tokens/call would refuse it', async () => {
      const { client } = await clocked()
      const first = body(await client.post('/api/tokens/call', { body: { callId, role: 'moderator' }, headers: asUser(userId, ['moderator']) })).data!
      expectError(await refresh(client, first.refreshToken, asUser(userId, [])), 403, 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED')
      expectError(await client.post('/api/tokens/call', { body: { callId, role: 'moderator' }, headers: asUser(userId, []) }), 403, 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED')
      expect((await refresh(client, first.refreshToken, asUser(userId, ['moderator']))).status).toBe(200)
    })

    it("another principal cannot renew a user's token (403) unless it may issue for others", async () => {
      const support = definePolicy({ roles: { support: ['join-call', 'issue-for-others'] } })
      const { client } = await clocked({ policy: support })
      const first = body(await client.post('/api/tokens/user', { body: userBody(), headers: asUser(userId) })).data!
      expectError(await refresh(client, first.refreshToken, asUser(other)), 403, 'ERR_CALLTOKEN_FORBIDDEN')
      expect(body(await refresh(client, first.refreshToken, asUser(other, ['support']))).data).toMatchObject({ userId })
    })

    it('authorize judges a refresh (route "refresh", the original request as input) and may deny it (403)', async () => {
      const seen: unknown[] = []
      const { client } = await clocked({
        authorize: ({ route, kind, input }) => {
          seen.push({ route, kind, input })
          return route !== 'refresh' || { allow: false, reason: 'the call has ended' }
        },
      })
      const first = body(await client.post('/api/tokens/call', { body: { callId, validityInSeconds: validity(900) }, headers: asUser(userId) })).data!
      const denied = await refresh(client, first.refreshToken, asUser(userId))
      expectError(denied, 403, 'ERR_CALLTOKEN_FORBIDDEN')
      expect(body(denied).error).toBe('Forbidden: the call has ended')
      const callType = first.callType === undefined ? {} : { callType: first.callType }
      expect(seen).toEqual([
        { route: 'call', kind: 'call', input: { userId, callId, validityInSeconds: validity(900) } },
        { route: 'refresh', kind: 'call', input: { userId, callId, ...callType, role: 'member', validityInSeconds: validity(900) } },
      ])
    })

    it('a chain of refreshes ends at the session deadline: the last token is shortened to it, then 401 says the session is over', async () => {
      // Scaled for a provider with a longer shortest token (Zoom: a 3 h session, 90 min tokens, 30 min left at the end).
      const { client, state } = await clocked({ refresh: { sessionSeconds: validity(3600) } })
      const headers = asUser(userId)
      const deadline = seconds(FIXED_NOW_MS) + validity(3600)
      let data = body(await client.post('/api/tokens/call', { body: { callId, validityInSeconds: validity(1800) }, headers })).data!
      state.now += validity(25 * MINUTE)
      data = body(await refresh(client, data.refreshToken, headers)).data!
      expect(data).toMatchObject({ validityInSeconds: validity(1800), expiresAt: isoAt(seconds(state.now) + validity(1800)) })
      state.now += validity(25 * MINUTE) // 50 min in: 10 min of the session left
      data = body(await refresh(client, data.refreshToken, headers)).data!
      expect(data).toMatchObject({ validityInSeconds: validity(600), expiresAt: isoAt(deadline) })
      expect((await provider.verify(data.token as string, { now: () => state.now })).expiresAt).toBe(deadline)
      state.now = deadline * 1000 - 30_000 // 30 s left: less than the shortest token
      const tooLate = await refresh(client, data.refreshToken, headers)
      expectError(tooLate, 401, 'ERR_CALLTOKEN_TOKEN_EXPIRED')
      expect(body(tooLate).error).toMatch(new RegExp(`^The session is over: refresh tokens renew a token until ${isoAt(deadline).replace(/[.]/g, '\\.')}`))
    })

    it('401 for an expired, tampered, foreign or made-up refresh token; 422 for a provider token or no token', async () => {
      const { client, state } = await clocked()
      const first = body(await client.post('/api/tokens/user', { body: userBody({ validityInSeconds: validity(600) }), headers: asUser(userId) })).data!
      const refreshToken = first.refreshToken as string
      const tampered = refreshToken.slice(0, -6) + (refreshToken.at(-6) === 'A' ? 'B' : 'A') + refreshToken.slice(-5)
      for (const bad of [tampered, 'not-a-token', first.token, 'x'.repeat(8192)]) {
        expectError(await refresh(client, bad, asUser(userId)), 401, 'ERR_CALLTOKEN_INVALID_TOKEN')
      }
      // Signed for another app (another secret) is not ours either.
      const elsewhere = await open({ authenticate: headerAuth, refresh: { secret: 'another-app-refresh-secret-0123456789' } })
      const foreign = body(await elsewhere.post('/api/tokens/user', { body: userBody(), headers: asUser(userId) })).data!.refreshToken
      expectError(await refresh(client, foreign, asUser(userId)), 401, 'ERR_CALLTOKEN_INVALID_TOKEN')
      const providerToken = await client.post('/api/tokens/refresh', { body: { token: first.token }, headers: asUser(userId) })
      expectError(providerToken, 422, 'ERR_CALLTOKEN_INVALID_INPUT')
      expect(body(providerToken).error).toMatch(/refreshToken is required: send the refreshToken of the token answer/)
      for (const invalid of [{}, { refreshToken: 42 }, { refreshToken, extra: 1 }, { refreshToken: 'x'.repeat(8193) }]) {
        expectError(await client.post('/api/tokens/refresh', { body: invalid, headers: asUser(userId) }), 422, 'ERR_CALLTOKEN_INVALID_INPUT')
      }
      state.now += validity(600) * 1000 // the refresh token ends with its token
      const expired = await refresh(client, refreshToken, asUser(userId))
      expectError(expired, 401, 'ERR_CALLTOKEN_TOKEN_EXPIRED')
      expect(body(expired).error).toBe('The refresh token expired with its token: ask for a new token')
    })

    it('refresh: false serves no refresh route and no refresh tokens', async () => {
      const client = await open({ authenticate: headerAuth, refresh: false })
      const data = body(await client.post('/api/tokens/user', { body: userBody(), headers: asUser(userId) })).data!
      expect(data).not.toHaveProperty('refreshToken')
      expect((await client.post('/api/tokens/refresh', { body: { refreshToken: 'x' }, headers: asUser(userId) })).status).toBe(404)
    })

    it('anonymous routes renew too, still only within the anonymous roles', async () => {
      const client = await open({ allowAnonymous: true })
      const first = body(await client.post('/api/tokens/call', { body: { userId, callId } })).data!
      expect(body(await refresh(client, first.refreshToken)).data).toMatchObject({ userId, callId, role: 'member' })
    })
  })
}
