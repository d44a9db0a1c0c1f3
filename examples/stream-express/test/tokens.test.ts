// The user token (POST /api/tokens/user) and the call token with a role (POST /api/tokens/call) over real HTTP, on each database.
import { FIXED_NOW_MS, FIXED_NOW_S, fixedClock } from '@calltoken/test-kit'
import { asc, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issuedTokens, users } from '../src/db/schema'
import { DEMO } from '../src/demo-credentials'
import { jwtPayload, SECRETS, startTestApp, withApp, type TestApp, type TestResponse } from './support/app'
import { databaseVariants, type TestDatabase } from './support/databases'
import { demoStream, failingStream } from './support/providers'

const now = fixedClock()
const verify = (token: string) => demoStream.verify(token, { now })
const iso = (seconds: number) => new Date(seconds * 1000).toISOString()

function expectError(response: TestResponse, status: number, code: string, error?: string | RegExp): void {
  expect({ status: response.status, success: response.body?.success, code: response.body?.code }).toEqual({ status, success: false, code })
  if (error !== undefined) expect(response.body.error).toMatch(error)
  expect(response.headers.get('cache-control')).toBe('no-store')
  for (const secret of SECRETS) expect(response.text).not.toContain(secret)
}

describe.each(databaseVariants)('tokens routes on $name', (variant) => {
  let database: TestDatabase
  let app: TestApp
  let alice: string // admin
  let bob: string // member

  beforeAll(async () => {
    database = await variant.create()
    app = await startTestApp(database, { now })
    alice = await app.jwt('alice')
    bob = await app.jwt('bob')
  })
  afterAll(async () => {
    await app?.close()
    await database?.cleanup()
  })

  describe('POST /api/tokens/user (a user token)', () => {
    it('answers 200 with the envelope for the signed-in user, a token that verifies and no-store', async () => {
      const response = await app.post('/api/tokens/user', { jwt: bob, body: {} })
      expect(response.status).toBe(200)
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(response.body).toEqual({
        success: true,
        data: {
          token: expect.any(String),
          userId: 'bob',
          apiKey: DEMO.stream.apiKey,
          validityInSeconds: 3600,
          expiresAt: iso(FIXED_NOW_S + 3600),
          refreshToken: expect.any(String),
        },
      })
      const decoded = await verify(response.body.data.token)
      expect(decoded).toMatchObject({ userId: 'bob', expiresAt: FIXED_NOW_S + 3600 })
      expect(decoded.callId).toBeUndefined()
    })

    it('accepts the documented body with the caller’s own userId and a custom validity', async () => {
      const response = await app.post('/api/tokens/user', { jwt: bob, body: { userId: 'bob', validityInSeconds: 86_400 } })
      expect(response.status).toBe(200)
      expect(response.body.data).toMatchObject({ userId: 'bob', validityInSeconds: 86_400, expiresAt: iso(FIXED_NOW_S + 86_400) })
      expect(jwtPayload(response.body.data.token).exp).toBe(FIXED_NOW_S + 86_400)
    })

    it('restricts the token to one call (callType defaults to "default")', async () => {
      const response = await app.post('/api/tokens/user', { jwt: bob, body: { userId: 'bob', validityInSeconds: 7200, callId: 'call-456' } })
      expect(response.status).toBe(200)
      expect(response.body.data).toMatchObject({ userId: 'bob', callId: 'call-456', callType: 'default', validityInSeconds: 7200, callCid: 'default:call-456' })
      expect(jwtPayload(response.body.data.token)).toMatchObject({ user_id: 'bob', call_cids: ['default:call-456'] })
      expect(await verify(response.body.data.token)).toMatchObject({ callId: 'call-456', callType: 'default' })
    })

    it('needs no body at all: the user comes from the JWT', async () => {
      const response = await app.post('/api/tokens/user', { jwt: alice })
      expect(response.status).toBe(200)
      expect(response.body.data.userId).toBe('alice')
    })

    it('lets an admin ask for an existing user, but not for one that does not exist', async () => {
      const forBob = await app.post('/api/tokens/user', { jwt: alice, body: { userId: 'bob' } })
      expect(forBob.status).toBe(200)
      expect((await verify(forBob.body.data.token)).userId).toBe('bob')
      const forGhost = await app.post('/api/tokens/user', { jwt: alice, body: { userId: 'ghost' } })
      expectError(forGhost, 403, 'ERR_CALLTOKEN_FORBIDDEN', /user "ghost" does not exist/)
    })

    it('403 when a member asks in somebody else’s name', async () => {
      expectError(await app.post('/api/tokens/user', { jwt: bob, body: { userId: 'alice' } }), 403, 'ERR_CALLTOKEN_FORBIDDEN', /your own name/)
    })

    it('422 for invalid fields, with the "Validation failed: …" message and the issues', async () => {
      const cases: [unknown, RegExp][] = [
        [{ validityInSeconds: '60' }, /validityInSeconds must be a number of seconds, not a string/],
        [{ validityInSeconds: 1_900_000_000 }, /looks like a Unix timestamp/],
        [{ callId: 'team:123' }, /callId may only contain/],
        [{ callType: 'default' }, /callType needs a callId/],
        [{ userId: 'bob', admin: true }, /admin/],
      ]
      for (const [body, message] of cases) {
        const response = await app.post('/api/tokens/user', { jwt: bob, body })
        expectError(response, 422, 'ERR_CALLTOKEN_INVALID_INPUT', /^Validation failed: /)
        expect(response.body.error, JSON.stringify(body)).toMatch(message)
        expect(response.body.issues.length).toBeGreaterThan(0)
      }
    })

    it('422 for a validity outside 60..86400 s, with its own code', async () => {
      for (const validityInSeconds of [30, 86_401]) {
        const response = await app.post('/api/tokens/user', { jwt: bob, body: { validityInSeconds } })
        expectError(response, 422, 'ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE', /^Validation failed: validityInSeconds must be between 60 and 86400 seconds/)
        expect(response.body.issues).toEqual([{ path: 'validityInSeconds', message: response.body.error.replace('Validation failed: ', '') }])
      }
    })

    it('400 for malformed JSON, a wrong content type and prototype keys', async () => {
      expectError(await app.post('/api/tokens/user', { jwt: bob, body: '{"userId":', headers: { 'content-type': 'application/json' } }), 400, 'ERR_CALLTOKEN_MALFORMED_BODY', /Malformed JSON/)
      expectError(await app.post('/api/tokens/user', { jwt: bob, body: 'userId=bob', headers: { 'content-type': 'text/plain' } }), 415, 'ERR_CALLTOKEN_UNSUPPORTED_MEDIA_TYPE', /Content-Type/)
      expectError(await app.post('/api/tokens/user', { jwt: bob, body: '{"__proto__":{"admin":true}}', headers: { 'content-type': 'application/json' } }), 400, 'ERR_CALLTOKEN_MALFORMED_BODY', /__proto__/)
    })

    it('413 for a body over 16 KiB', async () => {
      expectError(await app.post('/api/tokens/user', { jwt: bob, body: { callId: 'x'.repeat(17_000) } }), 413, 'ERR_CALLTOKEN_BODY_TOO_LARGE')
    })

    it('401 without a JWT, with a wrongly signed, expired or malformed one, and for a user not in the database', async () => {
      const unauthenticated = [
        await app.post('/api/tokens/user', { body: { userId: 'bob' } }),
        await app.post('/api/tokens/user', { jwt: await app.jwt('bob', { secret: 'another-secret-of-at-least-32-characters' }) }),
        await app.post('/api/tokens/user', { jwt: await app.jwt('bob', { expiresInSeconds: -60 }) }),
        await app.post('/api/tokens/user', { headers: { authorization: 'Basic Ym9iOmJvYg==' } }),
        await app.post('/api/tokens/user', { jwt: 'not.a.jwt' }),
        await app.post('/api/tokens/user', { jwt: await app.jwt('mallory') }),
      ]
      const reasons = [/^Authentication required$/, /The token signature is invalid$/, /The token expired$/, /^Authentication required$/, /The token is malformed$/, /^Authentication required$/]
      for (const [i, response] of unauthenticated.entries()) expectError(response, 401, 'ERR_CALLTOKEN_UNAUTHENTICATED', reasons[i])
    })
  })

  describe('POST /api/tokens/call (a call token with a role)', () => {
    it('answers the documented moderator example with every field, and Stream’s role and call in the token', async () => {
      const response = await app.post('/api/tokens/call', {
        jwt: alice,
        body: { userId: 'alice', callId: 'team-meeting-123', callType: 'default', role: 'moderator', validityInSeconds: 7200 },
      })
      expect(response.status).toBe(200)
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(response.body).toEqual({
        success: true,
        data: {
          token: expect.any(String),
          userId: 'alice',
          apiKey: DEMO.stream.apiKey,
          callId: 'team-meeting-123',
          callType: 'default',
          role: 'moderator',
          validityInSeconds: 7200,
          expiresAt: iso(FIXED_NOW_S + 7200),
          refreshToken: expect.any(String),
          callCid: 'default:team-meeting-123',
        },
      })
      expect(jwtPayload(response.body.data.token)).toMatchObject({ user_id: 'alice', role: 'moderator', call_cids: ['default:team-meeting-123'], exp: FIXED_NOW_S + 7200 })
      expect((await verify(response.body.data.token)).providerRole).toBe('moderator')
    })

    it('defaults to role member (Stream "user"), callType "default" and 3600 s', async () => {
      const response = await app.post('/api/tokens/call', { jwt: bob, body: { callId: 'meeting-123' } })
      expect(response.status).toBe(200)
      expect(response.body.data).toMatchObject({ userId: 'bob', callId: 'meeting-123', callType: 'default', role: 'member', validityInSeconds: 3600 })
      expect(jwtPayload(response.body.data.token).role).toBe('user')
    })

    it('lets an admin give another user the admin role for 8 hours (the README’s last example)', async () => {
      const response = await app.post('/api/tokens/call', { jwt: alice, body: { userId: 'bob', callId: 'meeting-123', role: 'admin', validityInSeconds: 28_800 } })
      expect(response.status).toBe(200)
      expect(response.body.data).toMatchObject({ userId: 'bob', role: 'admin', validityInSeconds: 28_800, expiresAt: iso(FIXED_NOW_S + 28_800) })
      expect(jwtPayload(response.body.data.token)).toMatchObject({ user_id: 'bob', role: 'admin' })
    })

    it('422 "Validation failed: callId is required" exactly as the README shows', async () => {
      const response = await app.post('/api/tokens/call', { jwt: bob, body: { userId: 'bob' } })
      expectError(response, 422, 'ERR_CALLTOKEN_INVALID_INPUT', /^Validation failed: callId is required$/)
      expect(response.body.issues).toEqual([{ path: 'callId', message: 'callId is required' }])
    })

    it('403 when a member asks for moderator or admin, and for a role the policy does not define', async () => {
      expectError(await app.post('/api/tokens/call', { jwt: bob, body: { callId: 'm', role: 'moderator' } }), 403, 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED', /moderator/)
      expectError(await app.post('/api/tokens/call', { jwt: bob, body: { callId: 'm', role: 'admin' } }), 403, 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED', /admin/)
      expectError(await app.post('/api/tokens/call', { jwt: alice, body: { callId: 'm', role: 'superuser' } }), 403, 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED', /superuser/)
    })

    it('401 without a JWT', async () => {
      expectError(await app.post('/api/tokens/call', { body: { userId: 'bob', callId: 'meeting-123' } }), 401, 'ERR_CALLTOKEN_UNAUTHENTICATED')
    })

    it('takes roles from the database: a demoted admin loses them, a deleted user loses access, at once', async () => {
      const { db } = app.server.database
      await db.insert(users).values({ id: 'carol', email: 'carol@example.com', displayName: 'Carol', role: 'admin' })
      const carol = await app.jwt('carol')
      expect((await app.post('/api/tokens/call', { jwt: carol, body: { callId: 'm', role: 'moderator' } })).status).toBe(200)

      await db.update(users).set({ role: 'member' }).where(eq(users.id, 'carol'))
      expectError(await app.post('/api/tokens/call', { jwt: carol, body: { callId: 'm', role: 'moderator' } }), 403, 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED')
      expectError(await app.post('/api/tokens/user', { jwt: carol, body: { userId: 'bob' } }), 403, 'ERR_CALLTOKEN_FORBIDDEN')

      await db.delete(users).where(eq(users.id, 'carol'))
      expectError(await app.post('/api/tokens/call', { jwt: carol, body: { callId: 'm' } }), 401, 'ERR_CALLTOKEN_UNAUTHENTICATED')
    })
  })

  describe('POST /api/tokens/refresh', () => {
    it('renews the caller’s own call token with the same call, role and validity, and refuses somebody else’s', async () => {
      const first = await app.post('/api/tokens/call', { jwt: alice, body: { callId: 'standup', role: 'moderator', validityInSeconds: 900 } })
      const { refreshToken } = first.body.data
      const refreshed = await app.post('/api/tokens/refresh', { jwt: alice, body: { refreshToken } })
      expect(refreshed.status).toBe(200)
      expect(refreshed.body.data).toMatchObject({ userId: 'alice', callId: 'standup', role: 'moderator', validityInSeconds: 900, refreshToken: expect.any(String) })
      // bob is a member: he may not ask for alice's tokens, so he may not renew them either.
      expectError(await app.post('/api/tokens/refresh', { jwt: bob, body: { refreshToken } }), 403, 'ERR_CALLTOKEN_FORBIDDEN')
      expectError(await app.post('/api/tokens/refresh', { jwt: alice, body: { refreshToken: `${refreshToken}x` } }), 401, 'ERR_CALLTOKEN_INVALID_TOKEN')
      expectError(await app.post('/api/tokens/refresh', { jwt: alice, body: { token: first.body.data.token } }), 422, 'ERR_CALLTOKEN_INVALID_INPUT', /send the refreshToken/)
    })

    it('a demotion in the database takes effect on the next refresh: 403, as on /tokens/call', async () => {
      const { db } = app.server.database
      await db.insert(users).values({ id: 'dana', email: 'dana@example.com', displayName: 'Dana', role: 'admin' })
      const dana = await app.jwt('dana')
      const first = await app.post('/api/tokens/call', { jwt: dana, body: { callId: 'board', role: 'admin' } })
      expect(first.body.data).toMatchObject({ role: 'admin' })
      await db.update(users).set({ role: 'member' }).where(eq(users.id, 'dana'))
      expectError(await app.post('/api/tokens/call', { jwt: dana, body: { callId: 'board', role: 'admin' } }), 403, 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED')
      expectError(await app.post('/api/tokens/refresh', { jwt: dana, body: { refreshToken: first.body.data.refreshToken } }), 403, 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED')
      await db.update(users).set({ role: 'admin' }).where(eq(users.id, 'dana'))
      expect((await app.post('/api/tokens/refresh', { jwt: dana, body: { refreshToken: first.body.data.refreshToken } })).body.data).toMatchObject({ role: 'admin' })
    })
  })

  describe('audit trail (onIssued)', () => {
    it('records every token the routes mint (whom, who asked, kind, call), never the token; refusals record nothing', async () => {
      const { db } = app.server.database
      await db.insert(users).values({ id: 'ivan', email: 'ivan@example.com', displayName: 'Ivan', role: 'member' })
      const ivan = await app.jwt('ivan')
      const user = await app.post('/api/tokens/user', { jwt: ivan, body: { callId: 'retro', validityInSeconds: 600 } })
      const call = await app.post('/api/tokens/call', { jwt: alice, body: { userId: 'ivan', callId: 'retro', callType: 'livestream', role: 'moderator' } })
      const refreshed = await app.post('/api/tokens/refresh', { jwt: ivan, body: { refreshToken: user.body.data.refreshToken } })
      expect([user.status, call.status, refreshed.status]).toEqual([200, 200, 200])
      // A member cannot renew the moderator token an admin asked for in his name: he could not ask for it himself.
      expectError(await app.post('/api/tokens/refresh', { jwt: ivan, body: { refreshToken: call.body.data.refreshToken } }), 403, 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED')
      expectError(await app.post('/api/tokens/call', { jwt: ivan, body: { callId: 'retro', role: 'admin' } }), 403, 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED')
      expectError(await app.post('/api/tokens/user', { jwt: ivan, body: { validityInSeconds: 5 } }), 422, 'ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE')

      const rows = await db.select().from(issuedTokens).where(eq(issuedTokens.userId, 'ivan')).orderBy(asc(issuedTokens.id))
      const row = (requestedBy: string, kind: string, callCid: string, expiresAt: string) => ({
        id: expect.any(Number),
        userId: 'ivan',
        requestedBy,
        kind,
        callCid,
        issuedAt: new Date(FIXED_NOW_S * 1000),
        expiresAt: new Date(expiresAt),
      })
      expect(rows).toEqual([
        row('ivan', 'user', 'default:retro', user.body.data.expiresAt),
        row('alice', 'call', 'livestream:retro', call.body.data.expiresAt),
        row('ivan', 'user', 'default:retro', refreshed.body.data.expiresAt),
      ])
      for (const response of [user, call, refreshed]) expect(JSON.stringify(rows)).not.toContain(response.body.data.token)
    })

    it('500 from the app’s error handler, and no token, when the audit row cannot be written', async () => {
      await withApp(variant, { now }, async (broken) => {
        const bobJwt = await broken.jwt('bob')
        await broken.server.database.db.execute(sql`DROP TABLE issued_tokens`)
        for (const path of ['/api/tokens/user', '/api/tokens/call']) {
          const response = await broken.post(path, { jwt: bobJwt, body: { callId: 'meeting-123' } })
          expect(response.status).toBe(500)
          expect(response.body).toEqual({ success: false, error: 'Internal server error' })
          expect(response.headers.get('cache-control')).toBe('no-store')
        }
        expect(broken.logs.join('\n')).toContain('issued_tokens')
      })
    })
  })

  describe('rate limits and failures', () => {
    it('429 with Retry-After once a user passes the limit under concurrent requests; other users and routes are unaffected', async () => {
      await withApp(variant, { now, env: { RATE_LIMIT_MAX: '3' } }, async (limited) => {
        const [bobJwt, aliceJwt] = [await limited.jwt('bob'), await limited.jwt('alice')]
        const responses = await Promise.all(Array.from({ length: 6 }, () => limited.post('/api/tokens/call', { jwt: bobJwt, body: { callId: 'busy' } })))
        const statuses = responses.map((r) => r.status).sort()
        expect(statuses).toEqual([200, 200, 200, 429, 429, 429])
        for (const response of responses.filter((r) => r.status === 429)) {
          expectError(response, 429, 'ERR_CALLTOKEN_RATE_LIMITED')
          expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
        }
        expect((await limited.post('/api/tokens/call', { jwt: aliceJwt, body: { callId: 'busy' } })).status).toBe(200)
        expect((await limited.post('/api/tokens/user', { jwt: bobJwt })).status).toBe(200)
      })
    })

    it('500 without the secret when Stream signing fails; the log says why, also without the secret', async () => {
      await withApp(variant, { now, provider: failingStream() }, async (failing) => {
        const bobJwt = await failing.jwt('bob')
        for (const path of ['/api/tokens/user', '/api/tokens/call']) {
          const response = await failing.post(path, { jwt: bobJwt, body: { callId: 'meeting-123' } })
          expectError(response, 500, 'ERR_CALLTOKEN_PROVIDER_FAILED', 'stream could not sign the token')
        }
        const logged = failing.logs.join('\n')
        expect(logged).toContain('signing refused for key [redacted]')
        expect(logged).not.toContain(DEMO.stream.apiSecret)
      })
    })
  })

  it('uses the pinned clock for every token (expiresAt = now + validity)', async () => {
    const response = await app.post('/api/tokens/user', { jwt: bob, body: { validityInSeconds: 60 } })
    expect(Date.parse(response.body.data.expiresAt)).toBe(Math.floor(FIXED_NOW_MS / 1000) * 1000 + 60_000)
  })
})
