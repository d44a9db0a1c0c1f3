// GET /api/health and GET /api/openapi.json, and what the app answers for an unknown route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, withApp, type TestApp } from './support/app'
import { databaseVariants, type TestDatabase } from './support/databases'

describe.each(databaseVariants)('health and OpenAPI on $name', (variant) => {
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

  it('GET /api/health: 200 with the database driver and the provider, flagging demo credentials', async () => {
    const response = await app.get('/api/health')
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.body).toEqual({
      status: 'ok',
      database: { ok: true, driver: variant.name },
      provider: { id: 'stream', configured: true, demoCredentials: true },
    })
  })

  it('GET /api/health: 503 once the database is unreachable', async () => {
    await withApp(variant, {}, async (broken) => {
      await broken.server.database.close()
      const response = await broken.get('/api/health')
      expect(response.status).toBe(503)
      expect(response.body).toMatchObject({ status: 'unavailable', database: { ok: false, driver: variant.name } })
    })
  })

  it('GET /api/openapi.json: the library’s token routes under /api with bearer auth, plus seed 002 and health', async () => {
    const response = await app.get('/api/openapi.json')
    expect(response.status).toBe(200)
    const doc = response.body
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/health', '/api/tokens/call', '/api/tokens/refresh', '/api/tokens/user', '/api/v1/stream/token'])
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    for (const path of ['/api/tokens/call', '/api/tokens/user', '/api/v1/stream/token']) expect(doc.paths[path].post.security).toEqual([{ bearerAuth: [] }])
    // Authenticated: the user id comes from the JWT, so only callId is required on the call route.
    expect(doc.components.schemas.CallTokenRequest.required).toEqual(['callId'])
    expect(doc.components.schemas.CallTokenRequest.properties.role).toMatchObject({ enum: ['admin', 'moderator', 'member'], default: 'member' })
    expect(doc.components.schemas.UserTokenRequest.properties.validityInSeconds).toMatchObject({ minimum: 60, maximum: 86_400, default: 3600 })
    expect(Object.keys(doc.paths['/api/v1/stream/token'].post.responses).sort()).toEqual(['200', '400', '401', '413', '429', '500'])
  })

  it('answers 404 in JSON for an unknown route, with a request id', async () => {
    const response = await app.get('/api/nope', { headers: { 'x-request-id': 'trace-123' } })
    expect(response.status).toBe(404)
    expect(response.body).toEqual({ success: false, error: 'Not found' })
    expect(response.headers.get('x-request-id')).toBe('trace-123')
    expect(response.headers.get('x-powered-by')).toBeNull()
  })
})
