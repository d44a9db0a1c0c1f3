// ALLOW_ANONYMOUS_TOKENS=true: the user and call token routes as the original API has them (no auth); the signed-in
// user's token route still needs its JWT.
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issuedTokens } from '../src/db/schema'
import { startTestApp, withApp, type TestApp } from './support/app'
import { databaseVariants, type TestDatabase } from './support/databases'
import { demoStream } from './support/providers'

describe.each(databaseVariants)('anonymous token routes on $name', (variant) => {
  let database: TestDatabase
  let app: TestApp

  beforeAll(async () => {
    database = await variant.create()
    app = await startTestApp(database, { env: { ALLOW_ANONYMOUS_TOKENS: 'true' } })
  })
  afterAll(async () => {
    await app?.close()
    await database?.cleanup()
  })

  it('POST /api/tokens/user: the original API’s curl, no Authorization, any user id', async () => {
    const response = await app.post('/api/tokens/user', { body: { userId: 'john_doe' } })
    expect(response.status).toBe(200)
    expect(response.body.data).toMatchObject({ userId: 'john_doe', validityInSeconds: 3600 })
    expect((await demoStream.verify(response.body.data.token)).userId).toBe('john_doe')
    // Recorded like any other token, with nobody as the requester.
    const rows = await app.server.database.db.select().from(issuedTokens).where(eq(issuedTokens.userId, 'john_doe'))
    expect(rows).toMatchObject([{ requestedBy: null, kind: 'user', callCid: null }])
  })

  it('POST /api/tokens/call: the original API’s moderator curl, 403 for admin (anyone may not be one), and 422 "userId is required"', async () => {
    const response = await app.post('/api/tokens/call', { body: { userId: 'moderator_user', callId: 'meeting-123', role: 'moderator' } })
    expect(response.status).toBe(200)
    expect(response.body.data).toMatchObject({ userId: 'moderator_user', role: 'moderator', callId: 'meeting-123' })
    const admin = await app.post('/api/tokens/call', { body: { userId: 'anyone', callId: 'meeting-123', role: 'admin' } })
    expect({ status: admin.status, code: admin.body.code }).toEqual({ status: 403, code: 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED' })
    const missing = await app.post('/api/tokens/call', { body: { callId: 'meeting-123' } })
    expect(missing.status).toBe(422)
    expect(missing.body.error).toBe('Validation failed: userId is required')
  })

  it('POST /api/v1/stream/token still requires the bearer JWT', async () => {
    const response = await app.post('/api/v1/stream/token')
    expect(response.status).toBe(401)
    expect(response.body.message).toBe('User not authenticated')
  })

  it('documents the token routes without bearer auth', async () => {
    const doc = (await app.get('/api/openapi.json')).body
    expect(doc.paths['/api/tokens/call'].post.security ?? []).toEqual([])
    expect(doc.components.schemas.CallTokenRequest.required).toEqual(['userId', 'callId'])
    expect(doc.paths['/api/v1/stream/token'].post.security).toEqual([{ bearerAuth: [] }])
  })

  it('rate-limits anonymous callers per IP', async () => {
    await withApp(variant, { env: { ALLOW_ANONYMOUS_TOKENS: 'true', RATE_LIMIT_MAX: '2' } }, async (limited) => {
      const statuses = []
      for (const userId of ['a1', 'a2', 'a3']) statuses.push((await limited.post('/api/tokens/user', { body: { userId } })).status)
      expect(statuses).toEqual([200, 200, 429])
    })
  })
})
