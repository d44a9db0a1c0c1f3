import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, createStore, type TestStore } from './support/backends.ts'
import { startServer, type TestServer } from './support/server.ts'

describe.each(BACKENDS)('GET /api/health on %s', (backend) => {
  let store: TestStore
  let server: TestServer
  beforeAll(async () => {
    store = await createStore(backend)
    server = await startServer(store)
  })
  afterAll(async () => {
    await server?.close()
    await store?.destroy()
  })

  it('200 without authentication when the database answers and the Agora credentials mint', async () => {
    const response = await server.request('GET', '/api/health')
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.body).toEqual({ status: 'ok', database: { status: 'up', kind: backend }, agora: { status: 'configured' }, demoCredentials: true })
    expect(response.text).not.toContain(server.config.agora.appCertificate)
  })

  it('503 when the database is unreachable', async () => {
    await server.closeDatabase()
    const response = await server.request('GET', '/api/health')
    expect(response.status).toBe(503)
    expect(response.body).toMatchObject({ status: 'unavailable', database: { status: 'down', kind: backend }, agora: { status: 'configured' } })
    expect(server.logs.some((line) => line.includes('health: database unreachable'))).toBe(true)
  })
})
