// Log lines carry request ids and never a token, a secret or a bearer credential.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO } from '../src/demo-credentials'
import { startTestApp, type TestApp } from './support/app'
import { databaseVariants, type TestDatabase } from './support/databases'

const variant = databaseVariants[0]! // PGlite: the logging does not depend on the database

describe('logging', () => {
  let database: TestDatabase
  let app: TestApp

  beforeAll(async () => {
    database = await variant.create()
    app = await startTestApp(database)
  })
  afterAll(async () => {
    await app?.close()
    await database?.cleanup()
  })

  it('logs every request with its id (the caller’s X-Request-Id when it is sane, else a new one)', async () => {
    const kept = await app.get('/api/health', { headers: { 'x-request-id': 'edge-42' } })
    const replaced = await app.get('/api/health', { headers: { 'x-request-id': 'bad id\twith spaces' } })
    expect(kept.headers.get('x-request-id')).toBe('edge-42')
    const newId = replaced.headers.get('x-request-id')
    expect(newId).toMatch(/^[0-9a-f-]{36}$/)
    const lines = app.logs.map((line) => JSON.parse(line) as { req?: { id?: string }; msg: string })
    expect(lines.some((l) => l.req?.id === 'edge-42' && l.msg === 'request completed')).toBe(true)
    expect(lines.some((l) => l.req?.id === newId && l.msg === 'request completed')).toBe(true)
  })

  it('writes no token, secret or Authorization header into any log line', async () => {
    const bob = await app.jwt('bob')
    const tokens: string[] = [bob]
    const refreshTokens: string[] = []
    for (const [path, body] of [
      ['/api/tokens/user', {}],
      ['/api/tokens/call', { callId: 'logged-call' }],
      ['/api/v1/stream/token', undefined],
    ] as const) {
      const response = await app.post(path, { jwt: bob, ...(body ? { body } : {}) })
      expect(response.status).toBe(200)
      tokens.push(response.body.data.token)
      if (response.body.data.refreshToken) refreshTokens.push(response.body.data.refreshToken)
    }
    // A refresh puts a credential in the request body; an invalid JWT is still a credential.
    const refreshed = await app.post('/api/tokens/refresh', { jwt: bob, body: { refreshToken: refreshTokens[0] } })
    expect(refreshed.status).toBe(200)
    tokens.push(refreshed.body.data.token, refreshed.body.data.refreshToken, ...refreshTokens)
    expect((await app.post('/api/tokens/user', { jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged-signature' })).status).toBe(401)

    const logged = app.logs.join('\n')
    expect(logged).toContain('"authorization":"[redacted]"')
    for (const token of tokens) expect(logged).not.toContain(token)
    for (const secret of [DEMO.stream.apiSecret, DEMO.sessionJwtSecret]) expect(logged).not.toContain(secret)
    // No bearer credential; the 401 challenge (`Bearer` or `Bearer error="invalid_token", …`) may appear.
    expect(logged).not.toMatch(/bearer\s+(?!error=)\S/i)
    expect(logged).not.toContain('forged-signature')
  })

  it('redacts token and secret fields wherever a log call puts them', () => {
    const before = app.logs.length
    app.server.logger.info({ token: 'tkn-123', nested: { apiSecret: 'sec-456', jwtSecret: 'sec-789' }, authorization: 'Bearer abc' }, 'probe')
    const line = app.logs.slice(before).join('\n')
    expect(line).toContain('probe')
    for (const value of ['tkn-123', 'sec-456', 'sec-789', 'Bearer abc']) expect(line).not.toContain(value)
  })
})
