import { definePolicy } from '@calltoken/core'
import { createHs256Jwt } from '@calltoken/core/provider'
import { authenticationFailed, bearerJwt } from '@calltoken/core/http'
import { describe, expect, it } from 'vitest'
import { FIXED_NOW_MS, FIXED_NOW_S } from './clock'
import type { ContractContext, ContractRequestWithHeaders, ContractRoute } from './http-contract'

/** Anonymous roles, bodies that are JSON but not an object, and misconfiguration caught at start-up. */
export function describeRequestRules({ provider, userId, callId, open, headerAuth, header, asUser, body, expectError, makeClient, makeRouteClient, userBody }: ContractContext): void {
  describe('anonymous routes', () => {
    it('give only the default role unless roles are listed; any other role is 403', async () => {
      const client = await open({ allowAnonymous: true })
      for (const role of ['admin', 'moderator']) {
        const refused = await client.post('/api/tokens/call', { body: { userId, callId, role } })
        expectError(refused, 403, 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED')
        expect(body(refused).error).toBe(`role "${role}" is not available without signing in`)
      }
      expect(body(await client.post('/api/tokens/call', { body: { userId, callId } })).data).toMatchObject({ role: 'member' })
      expect(body(await client.post('/api/tokens/call', { body: { userId, callId, role: 'member' } })).data).toMatchObject({ role: 'member' })
    })

    it('allowAnonymous: { roles } lists the roles anyone may ask for', async () => {
      const client = await open({ allowAnonymous: { roles: ['member', 'moderator'] } })
      expect(body(await client.post('/api/tokens/call', { body: { userId, callId, role: 'moderator' } })).data).toMatchObject({ role: 'moderator' })
      expectError(await client.post('/api/tokens/call', { body: { userId, callId, role: 'admin' } }), 403, 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED')
      await expect(open({ allowAnonymous: { roles: ['owner'] } })).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG', message: expect.stringMatching(/"owner" is not a role of the policy/) })
    })

    it('with authenticate too: no credentials → anonymous, signed in → the principal’s rules, refused credentials → 401', async () => {
      const authenticate = (req: ContractRequestWithHeaders) => {
        if (header(req, 'x-test-user') === 'revoked') throw authenticationFailed('The session was revoked')
        return headerAuth(req)
      }
      const client = await open({ authenticate, allowAnonymous: true })
      expect(body(await client.post('/api/tokens/call', { body: { userId, callId } })).data).toMatchObject({ userId, role: 'member' })
      expectError(await client.post('/api/tokens/call', { body: { userId, callId, role: 'moderator' } }), 403, 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED')
      const signedIn = await client.post('/api/tokens/call', { headers: asUser(userId, ['moderator']), body: { callId, role: 'moderator' } })
      expect(body(signedIn).data).toMatchObject({ userId, role: 'moderator' })
      // A principal is bound by its own name even though anonymous requests may name anyone.
      expectError(await client.post('/api/tokens/call', { headers: asUser('mallory'), body: { userId, callId } }), 403, 'ERR_CALLTOKEN_FORBIDDEN')
      expectError(await client.post('/api/tokens/call', { headers: { 'x-test-user': 'revoked' }, body: { userId, callId } }), 401, 'ERR_CALLTOKEN_UNAUTHENTICATED')
    })
  })

  describe('bodies that are JSON but not an object', () => {
    const bodies = ['null', '[]', '[{"userId":"a"}]', '"alice"', '42', 'true', '{"userId":{"nested":[1,{"a":null}]},"callId":[[]]}']
    it('answer 422 with the envelope on every route, anonymous or not, never 5xx', async () => {
      const clients = [await open({ allowAnonymous: true }), await open({ authenticate: headerAuth })]
      for (const client of clients) {
        for (const path of ['/api/tokens/user', '/api/tokens/call', '/api/tokens/refresh']) {
          for (const raw of bodies) {
            const response = await client.post(path, { body: raw, headers: { 'content-type': 'application/json', ...asUser(userId) } })
            expectError(response, 422, 'ERR_CALLTOKEN_INVALID_INPUT')
          }
        }
      }
      const top = await clients[0]!.post('/api/tokens/call', { body: 'null', headers: { 'content-type': 'application/json' } })
      expect(body(top)).toMatchObject({ error: 'Validation failed: the body must be a JSON object', issues: [{ path: '', message: 'the body must be a JSON object' }] })
    })
  })

  describe('bearerJwt behind the routes', () => {
    const SESSION_SECRET = 'contract-session-secret-0123456789'
    const session = async (payload: Record<string, unknown>, secret = SESSION_SECRET) => `Bearer ${await createHs256Jwt(secret, { typ: 'JWT' }).sign(payload)}`

    it('401 says why a presented token was refused (RFC 6750), a bare challenge when there was none; 200 for a good one', async () => {
      const client = await open({ authenticate: bearerJwt({ secret: SESSION_SECRET, now: () => FIXED_NOW_MS }) })
      const cases: [Record<string, string>, string][] = [
        [{}, 'Bearer'],
        [{ authorization: 'Basic dXNlcjpwYXNz' }, 'Bearer'],
        [{ authorization: await session({ sub: userId, exp: FIXED_NOW_S - 60 }) }, 'Bearer error="invalid_token", error_description="The token expired"'],
        [{ authorization: await session({ sub: userId, exp: FIXED_NOW_S + 600 }, 'another-session-secret-0123456789') }, 'Bearer error="invalid_token", error_description="The token signature is invalid"'],
        [{ authorization: await session({ sub: userId }) }, 'Bearer error="invalid_token", error_description="The token has no expiry"'],
        [{ authorization: await session({ sub: userId, exp: FIXED_NOW_S + 600, nbf: FIXED_NOW_S + 300 }) }, 'Bearer error="invalid_token", error_description="The token is not valid yet"'],
        [{ authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' }, 'Bearer error="invalid_token", error_description="The token algorithm is not accepted"'],
        [{ authorization: 'Bearer not-a-jwt' }, 'Bearer error="invalid_token", error_description="The token is malformed"'],
      ]
      for (const [headers, challenge] of cases) {
        const response = await client.post('/api/tokens/user', { headers })
        expectError(response, 401, 'ERR_CALLTOKEN_UNAUTHENTICATED')
        expect(response.headers['www-authenticate']).toBe(challenge)
      }
      const ok = await client.post('/api/tokens/user', { body: userBody(), headers: { authorization: await session({ sub: userId, exp: FIXED_NOW_S + 600 }) } })
      expect(body(ok).data).toMatchObject({ userId })
    })
  })

  describe('misconfiguration is an INVALID_CONFIG at start-up, naming what is wrong', () => {
    const route: ContractRoute = { name: 'room', kind: 'call', method: 'post', path: '/rooms/:id/token', input: ({ principal }) => ({ userId: principal!.userId, callId }) }

    it('no options, no provider', async () => {
      await expect(makeClient(undefined as never, '/api')).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG', message: expect.stringMatching(/need options|^options\.provider is missing/) })
      await expect(makeClient({ authenticate: headerAuth } as never, '/api')).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG', message: expect.stringMatching(/^options\.provider is missing/) })
      await expect(makeClient({ provider, authenticate: 'yes' } as never, '/api')).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG', message: 'options.authenticate must be a function' })
    })

    it('a route spec with a wrong or missing field; both frameworks take { method (lower case), path }', async () => {
      const options = { provider, authenticate: headerAuth, rateLimit: false as const }
      const wrong: [Record<string, unknown>, RegExp][] = [
        [{ ...route, path: undefined, url: '/rooms/:id/token' }, /"url" is not a route field \(write "path"\); path must be a string/],
        [{ ...route, method: 'POST' }, /method must be one of get, post, put, patch, delete \(lower case\)/],
        [{ ...route, kind: 'refresh' }, /kind must be "user" or "call"/],
        [{ ...route, input: undefined }, /input must be a function/],
        [{ ...route, name: '' }, /name must be/],
      ]
      for (const [spec, message] of wrong) {
        const clean = Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)) as unknown as ContractRoute
        await expect(makeRouteClient(options, '/api', clean)).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG', message: expect.stringMatching(message) })
      }
      const client = await makeRouteClient(options, '/api', route)
      const response = await client.post('/api/rooms/1/token', { headers: asUser(userId) })
      await client.close()
      expect(response.status).toBe(200)
      expect(body(response).data).toMatchObject({ userId, callId })
      expect(body(response).data).not.toHaveProperty('refreshToken') // custom routes are renewed by calling them again
    })

    it('a refresh secret that is too short, a session that is too long', async () => {
      for (const refresh of [{ secret: 'short' }, { secret: [] }, { sessionSeconds: 59 }, { sessionSeconds: 31 * 86_400 }, { sessionSeconds: 1.5 }]) {
        await expect(open({ authenticate: headerAuth, refresh })).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' })
      }
      await expect(open({ authenticate: headerAuth, policy: definePolicy({}), refresh: { secret: ['a-refresh-secret-of-more-than-32-chars', 'x'] } })).rejects.toMatchObject({
        code: 'ERR_CALLTOKEN_INVALID_CONFIG',
      })
    })
  })
}
