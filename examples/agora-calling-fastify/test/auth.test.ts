import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signSessionJwt } from '../src/session-jwt.ts'
import { createStore, type TestStore } from './support/backends.ts'
import { newUserId, startServer, type TestServer } from './support/server.ts'

// Authentication does not touch the database; one backend is enough here.
describe('authentication and roles', () => {
  let store: TestStore
  let server: TestServer
  beforeAll(async () => {
    store = await createStore('pglite')
    server = await startServer(store)
  })
  afterAll(async () => {
    await server?.close()
    await store?.destroy()
  })

  const sign = (claims: Record<string, unknown>, secret = server.config.jwt.secret, exp: number | string = '1h') =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(exp).sign(new TextEncoder().encode(secret))

  const routes: [string, string][] = [
    ['POST', '/api/calling/token'],
    ['POST', '/api/calling/create'],
    ['POST', '/api/calling/1/join'],
    ['POST', '/api/calling/1/leave'],
    ['POST', '/api/calling/1/invite'],
    ['GET', '/api/calling/my-calls'],
    ['GET', '/api/calling/preferences'],
    ['PUT', '/api/calling/preferences'],
    ['GET', '/api/calling/admin/analytics'],
    ['GET', '/api/calling/admin/1/details'],
    ['POST', '/api/calling/admin/1/end'],
    ['DELETE', '/api/calling/admin/1/participants/2'],
  ]

  it.each(routes)('401 with WWW-Authenticate for %s %s without a session', async (method, path) => {
    const response = await server.request(method, path)
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer')
    expect(response.body).toEqual({ success: false, error: 'Authentication required', code: 'UNAUTHENTICATED' })
  })

  it('401 for a wrong signature, an expired token, garbage and a non-Bearer scheme', async () => {
    const id = String(newUserId())
    const wrongKey = await sign({ sub: id, roles: ['member'] }, 'another-secret-that-is-long-enough-1234')
    const expired = await sign({ sub: id, roles: ['member'] }, undefined, Math.floor(Date.now() / 1000) - 60)
    for (const authorization of [`Bearer ${wrongKey}`, `Bearer ${expired}`, 'Bearer not.a.jwt', `Basic ${Buffer.from('a:b').toString('base64')}`]) {
      const response = await server.request('GET', '/api/calling/my-calls', { headers: { authorization } })
      expect(response.status, authorization.slice(0, 20)).toBe(401)
    }
  })

  it('401 when the subject is not a numeric user id (it is the Agora uid)', async () => {
    for (const sub of ['alice', '0', '-5', '4294967296', '0123']) {
      const token = await sign({ sub, roles: ['member'] })
      const response = await server.request('GET', '/api/calling/my-calls', { token })
      expect(response.status, sub).toBe(401)
      expect(response.body.error).toMatch(/numeric user id/)
    }
  })

  it('403 without pre-member, member or admin status; pre-member is enough', async () => {
    const id = newUserId()
    for (const roles of [[], ['guest']]) {
      const response = await server.request('GET', '/api/calling/my-calls', { token: await signSessionJwt(id, roles, server.config.jwt) })
      expect(response.status).toBe(403)
      expect(response.body).toMatchObject({ success: false, code: 'FORBIDDEN', error: 'Calling requires pre-member or member status' })
    }
    const preMember = await server.request('GET', '/api/calling/my-calls', { token: await signSessionJwt(id, ['pre-member'], server.config.jwt) })
    expect(preMember.status).toBe(200)
  })

  it.each(routes.filter(([, path]) => path.includes('/admin/')))('403 for a member on %s %s', async (method, path) => {
    const token = await signSessionJwt(newUserId(), ['member'], server.config.jwt)
    const response = await server.request(method, path, { token })
    expect(response.status).toBe(403)
    expect(response.body).toEqual({ success: false, error: 'Admin role required', code: 'FORBIDDEN' })
  })

  it('answers unknown routes with 404 and echoes or assigns a request id', async () => {
    const response = await server.request('GET', '/api/nope', { headers: { 'x-request-id': 'trace-123' } })
    expect(response.status).toBe(404)
    expect(response.body).toEqual({ success: false, error: 'Not found', code: 'NOT_FOUND' })
    expect(response.headers.get('x-request-id')).toBe('trace-123')
    // A header that is not a sane id is replaced, not logged as is.
    const injected = await server.request('GET', '/api/health', { headers: { 'x-request-id': 'a b\tc' } })
    expect(injected.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })
})
