// The signed-in user's token: POST /api/v1/stream/token over real HTTP, on each database, with the audit trail it writes.
import { FIXED_NOW_S, fixedClock } from '@calltoken/test-kit'
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issuedTokens, users } from '../src/db/schema'
import { DEMO } from '../src/demo-credentials'
import { SECRETS, startTestApp, withApp, type TestApp, type TestResponse } from './support/app'
import { databaseVariants, type TestDatabase } from './support/databases'
import { demoStream, failingStream } from './support/providers'

const now = fixedClock()
const PATH = '/api/v1/stream/token'

function expectFailure(response: TestResponse, status: number, code: string, message: string): void {
  expect(response.status).toBe(status)
  expect(response.body).toEqual({ success: false, message, code })
  expect(response.headers.get('cache-control')).toBe('no-store')
  for (const secret of SECRETS) expect(response.text).not.toContain(secret)
}

describe.each(databaseVariants)('POST /api/v1/stream/token (the signed-in user\'s token) on $name', (variant) => {
  let database: TestDatabase
  let app: TestApp

  const auditRows = (userId: string) => app.server.database.db.select().from(issuedTokens).where(eq(issuedTokens.userId, userId))

  beforeAll(async () => {
    database = await variant.create()
    app = await startTestApp(database, { now })
  })
  afterAll(async () => {
    await app?.close()
    await database?.cleanup()
  })

  it('answers { success, data: { token, userId, expiresAt }, message } for the JWT’s user, with no-store', async () => {
    const response = await app.post(PATH, { jwt: await app.jwt('bob'), headers: { 'content-type': 'application/json' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.body).toEqual({
      success: true,
      data: { token: expect.any(String), userId: 'bob', expiresAt: new Date((FIXED_NOW_S + 3600) * 1000).toISOString() },
      message: 'Token generated successfully',
    })
    // expiresAt is the token's own expiry (the original API computed it separately from the token).
    const decoded = await demoStream.verify(response.body.data.token, { now })
    expect(decoded).toMatchObject({ userId: 'bob', expiresAt: FIXED_NOW_S + 3600 })
    expect(decoded.callId).toBeUndefined()
  })

  it('takes the user from the JWT only: a userId in the body changes nothing', async () => {
    const response = await app.post(PATH, { jwt: await app.jwt('bob'), body: { userId: 'alice' } })
    expect(response.status).toBe(200)
    expect(response.body.data.userId).toBe('bob')
    expect((await demoStream.verify(response.body.data.token, { now })).userId).toBe('bob')
  })

  it('records every issued token (whom, kind, expiry, issue time), never the token itself', async () => {
    await app.server.database.db.insert(users).values({ id: 'dana', email: 'dana@example.com', displayName: 'Dana', role: 'member' })
    const response = await app.post(PATH, { jwt: await app.jwt('dana') })
    expect(response.status).toBe(200)
    const rows = await auditRows('dana')
    expect(rows).toEqual([
      {
        id: expect.any(Number),
        userId: 'dana',
        requestedBy: 'dana',
        kind: 'user',
        callCid: null,
        issuedAt: new Date(FIXED_NOW_S * 1000),
        expiresAt: new Date(response.body.data.expiresAt),
      },
    ])
    expect(JSON.stringify(rows)).not.toContain(response.body.data.token)
  })

  it('401 "User not authenticated" without a valid JWT of an existing user, and records nothing', async () => {
    const before = (await auditRows('bob')).length
    const attempts = [
      await app.post(PATH),
      await app.post(PATH, { headers: { authorization: 'Basic Ym9iOmJvYg==' } }),
      await app.post(PATH, { jwt: await app.jwt('bob', { secret: 'another-secret-of-at-least-32-characters' }) }),
      await app.post(PATH, { jwt: await app.jwt('bob', { expiresInSeconds: -60 }) }),
      await app.post(PATH, { jwt: await app.jwt('nobody') }),
    ]
    const challenges = ['Bearer', 'Bearer', 'Bearer error="invalid_token", error_description="The token signature is invalid"', 'Bearer error="invalid_token", error_description="The token expired"', 'Bearer']
    for (const [i, response] of attempts.entries()) {
      expectFailure(response, 401, 'ERR_CALLTOKEN_UNAUTHENTICATED', 'User not authenticated')
      // RFC 6750: the reason a presented token was refused; none when there was no token (or a user no longer exists).
      expect(response.headers.get('www-authenticate')).toBe(challenges[i])
    }
    expect(await auditRows('bob')).toHaveLength(before)
    expect(await auditRows('nobody')).toHaveLength(0)
  })

  it('400 in its envelope for a body that is not JSON (the library parses any body strictly), and records nothing', async () => {
    const jwt = await app.jwt('bob')
    const before = (await auditRows('bob')).length
    expectFailure(await app.post(PATH, { jwt, body: '{"userId":', headers: { 'content-type': 'application/json' } }), 400, 'ERR_CALLTOKEN_MALFORMED_BODY', 'Malformed JSON body')
    expectFailure(await app.post(PATH, { jwt, body: 'userId=bob', headers: { 'content-type': 'text/plain' } }), 415, 'ERR_CALLTOKEN_UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json')
    expect(await auditRows('bob')).toHaveLength(before)
  })

  it('issues and records one token per request under concurrency', async () => {
    await app.server.database.db.insert(users).values({ id: 'erin', email: 'erin@example.com', displayName: 'Erin', role: 'member' })
    const jwt = await app.jwt('erin')
    const responses = await Promise.all(Array.from({ length: 12 }, () => app.post(PATH, { jwt })))
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200))
    expect(await auditRows('erin')).toHaveLength(12)
  })

  it('429 with Retry-After per user past the limit, concurrently; other users still get tokens; only issued tokens are recorded', async () => {
    await withApp(variant, { now, env: { RATE_LIMIT_MAX: '3' } }, async (limited) => {
      await limited.server.database.db.insert(users).values({ id: 'frank', email: 'frank@example.com', displayName: 'Frank', role: 'member' })
      const jwt = await limited.jwt('frank')
      const responses = await Promise.all(Array.from({ length: 7 }, () => limited.post(PATH, { jwt })))
      expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 429, 429, 429, 429])
      for (const response of responses.filter((r) => r.status === 429)) {
        // The original API's error shape, from the route's respondError.
        expect(response.body).toEqual({
          success: false,
          message: 'Too many token requests; retry after the number of seconds in Retry-After',
          code: 'ERR_CALLTOKEN_RATE_LIMITED',
        })
        expect(response.headers.get('cache-control')).toBe('no-store')
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
      }
      expect(await limited.server.database.db.select().from(issuedTokens).where(eq(issuedTokens.userId, 'frank'))).toHaveLength(3)
      expect((await limited.post(PATH, { jwt: await limited.jwt('alice') })).status).toBe(200)
    })
  })

  it('500 "Failed to generate video call token" when Stream signing fails: no secret out, nothing recorded, the cause logged redacted', async () => {
    await withApp(variant, { now, provider: failingStream() }, async (failing) => {
      await failing.server.database.db.insert(users).values({ id: 'gina', email: 'gina@example.com', displayName: 'Gina', role: 'member' })
      const response = await failing.post(PATH, { jwt: await failing.jwt('gina') })
      expectFailure(response, 500, 'ERR_CALLTOKEN_PROVIDER_FAILED', 'Failed to generate video call token')
      expect(await failing.server.database.db.select().from(issuedTokens).where(eq(issuedTokens.userId, 'gina'))).toHaveLength(0)
      const logged = failing.logs.join('\n')
      expect(logged).toContain('signing refused for key [redacted]')
      expect(logged).not.toContain(DEMO.stream.apiSecret)
    })
  })

  it('500 in the same envelope when the database is unreachable', async () => {
    await withApp(variant, { now }, async (broken) => {
      const jwt = await broken.jwt('bob')
      await broken.server.database.close()
      expectFailure(await broken.post(PATH, { jwt }), 500, 'ERR_INTERNAL', 'Failed to generate video call token')
      expect(broken.logs.join('\n')).toContain('authentication failed')
    })
  })

  it('500 in the same envelope, and no token, when the audit row cannot be written', async () => {
    await withApp(variant, { now }, async (broken) => {
      const jwt = await broken.jwt('bob')
      await broken.server.database.db.execute(sql`DROP TABLE issued_tokens`)
      expectFailure(await broken.post(PATH, { jwt }), 500, 'ERR_INTERNAL', 'Failed to generate video call token')
      expect(broken.logs.join('\n')).toContain('issued_tokens')
    })
  })
})
