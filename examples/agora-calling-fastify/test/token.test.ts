import { agora } from '@calltoken/agora'
import { defineProvider } from '@calltoken/core/provider'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CREDENTIALS } from '../src/demo-credentials.ts'
import { BACKENDS, createStore, type TestStore } from './support/backends.ts'
import { createCall, newUser, startServer, type TestServer, type TestUser } from './support/server.ts'

// The app's own provider settings, to verify what it minted.
const verifier = agora({ appId: DEMO_CREDENTIALS.AGORA_APP_ID, appCertificate: DEMO_CREDENTIALS.AGORA_APP_CERTIFICATE, userIdAs: 'uid' })

describe.each(BACKENDS)('POST /api/calling/token on %s', (backend) => {
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

  async function inCall(): Promise<{ user: TestUser; channelName: string; callId: number }> {
    const user = await newUser(server)
    const call = await createCall(server, user, { isPublic: true })
    expect((await server.request('POST', `/api/calling/${call.callId}/join`, { token: user.token })).status).toBe(200)
    return { user, channelName: call.channelName, callId: call.callId }
  }

  it('mints a 24 h Agora RTC token for the caller\'s own uid, in the original API\'s shape, not cacheable', async () => {
    const { user, channelName } = await inCall()
    const before = Math.floor(Date.now() / 1000)
    const response = await server.request('POST', '/api/calling/token', { token: user.token, body: { channelName, uid: user.id } })
    const after = Math.floor(Date.now() / 1000)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(Object.keys(response.body).sort()).toEqual(['appId', 'channelName', 'expiresAt', 'token', 'uid'])
    expect(response.body).toMatchObject({ appId: DEMO_CREDENTIALS.AGORA_APP_ID, channelName, uid: user.id })
    expect(response.body.expiresAt).toBeGreaterThanOrEqual(before + 86_400)
    expect(response.body.expiresAt).toBeLessThanOrEqual(after + 86_400)

    // The token itself says the same: signed with our certificate, this uid, this channel, publisher, same expiry.
    const decoded = await verifier.verify(response.body.token)
    expect(decoded.userId).toBe(String(user.id))
    expect(decoded.callId).toBe(channelName)
    expect(decoded.providerRole).toBe('publisher')
    expect(decoded.expiresAt).toBe(response.body.expiresAt)
  })

  it('takes the uid from the session when the body has none', async () => {
    const { user, channelName } = await inCall()
    const response = await server.request('POST', '/api/calling/token', { token: user.token, body: { channelName } })
    expect(response.status).toBe(200)
    expect(response.body.uid).toBe(user.id)
    expect(verifier.decode(response.body.token).userId).toBe(String(user.id))
  })

  it('403 for a uid other than the caller\'s own', async () => {
    const { user, channelName } = await inCall()
    const response = await server.request('POST', '/api/calling/token', { token: user.token, body: { channelName, uid: 789012 } })
    expect(response.status).toBe(403)
    expect(response.body).toEqual({ success: false, error: 'uid must be your own user id', code: 'FORBIDDEN' })
  })

  it('403 "Access denied to this call" for an unknown channel, a call not joined, after leaving, after removal and after the end', async () => {
    const denied = async (user: TestUser, channelName: string) => {
      const response = await server.request('POST', '/api/calling/token', { token: user.token, body: { channelName } })
      expect(response.status).toBe(403)
      expect(response.body.error).toBe('Access denied to this call')
      expect(response.text).not.toContain('"token":')
    }
    const admin = await newUser(server, ['member', 'admin'])
    const outsider = await newUser(server)
    const { user, channelName, callId } = await inCall()

    await denied(outsider, 'call_1672531200_doesnotexist')
    await denied(outsider, channelName) // knows the name, never joined

    const leaver = await newUser(server)
    await server.request('POST', `/api/calling/${callId}/join`, { token: leaver.token })
    await server.request('POST', `/api/calling/${callId}/leave`, { token: leaver.token })
    await denied(leaver, channelName)

    const removed = await newUser(server)
    await server.request('POST', `/api/calling/${callId}/join`, { token: removed.token })
    expect((await server.request('DELETE', `/api/calling/admin/${callId}/participants/${removed.id}`, { token: admin.token })).status).toBe(200)
    await denied(removed, channelName)

    expect((await server.request('POST', '/api/calling/token', { token: user.token, body: { channelName } })).status).toBe(200)
    await server.request('POST', `/api/calling/admin/${callId}/end`, { token: admin.token })
    await denied(user, channelName)
  })

  it.each([
    ['no channelName', {}],
    ['a numeric channelName', { channelName: 123 }],
    ['a uid as a string', { channelName: 'call_x', uid: '789012' }],
    ['a validity the original API does not offer', { channelName: 'call_x', validityInSeconds: 60 }],
  ])('400 for %s', async (_label, body) => {
    const user = await newUser(server)
    const response = await server.request('POST', '/api/calling/token', { token: user.token, body })
    expect(response.status).toBe(400)
    expect(response.body.code).toBe('INVALID_REQUEST')
  })

  it('401 without a session; 415 for a form body, 400 for broken JSON; 413 over 16 KiB', async () => {
    const response = await server.request('POST', '/api/calling/token', { body: { channelName: 'call_x' } })
    expect(response.status).toBe(401)
    expect(response.body.code).toBe('UNAUTHENTICATED')
    const user = await newUser(server)
    const form = await server.request('POST', '/api/calling/token', { token: user.token, body: 'channelName=call_x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(form.status).toBe(415)
    expect(form.body).toMatchObject({ success: false, code: 'UNSUPPORTED_MEDIA_TYPE' })
    const broken = await server.request('POST', '/api/calling/token', { token: user.token, body: '{"channelName":', headers: { 'content-type': 'application/json' } })
    expect(broken.status).toBe(400)
    expect(broken.body).toMatchObject({ success: false, code: 'INVALID_REQUEST' })
    const huge = await server.request('POST', '/api/calling/token', { token: user.token, body: { channelName: 'x'.repeat(20_000) } })
    expect(huge.status).toBe(413)
    expect(huge.body).toMatchObject({ success: false, code: 'INVALID_REQUEST' })
  })

  it('allows 60 token requests a minute per user, then 429; other users keep their own budget', async () => {
    const { user, channelName } = await inCall()
    for (let i = 0; i < 60; i++) {
      expect((await server.request('POST', '/api/calling/token', { token: user.token, body: { channelName } })).status).toBe(200)
    }
    const limited = await server.request('POST', '/api/calling/token', { token: user.token, body: { channelName } })
    expect(limited.status).toBe(429)
    expect(limited.body).toMatchObject({ success: false, code: 'RATE_LIMITED' })
    expect(limited.headers.get('cache-control')).toBe('no-store')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    const other = await inCall()
    expect((await server.request('POST', '/api/calling/token', { token: other.user.token, body: { channelName: other.channelName } })).status).toBe(200)
  })
})

describe.each(BACKENDS)('token generation failure on %s', (backend) => {
  let store: TestStore
  let server: TestServer
  const certificate = DEMO_CREDENTIALS.AGORA_APP_CERTIFICATE
  beforeAll(async () => {
    // Agora's provider, except that signing a call token fails with the certificate in the message,
    // as a buggy signer might. calltoken must scrub it; the app must answer 500 without details.
    const failing = defineProvider({
      id: 'agora',
      limits: verifier.limits,
      secrets: [certificate],
      mapRole: verifier.mapRole,
      sign: (claims) => {
        if (claims.kind === 'user') return verifier.sign(claims)
        throw new Error(`HMAC key ${certificate} rejected`)
      },
      decode: verifier.decode,
      verifySignature: (token) => verifier.decode(token),
    })
    store = await createStore(backend)
    server = await startServer(store, { provider: failing as unknown as typeof verifier })
  })
  afterAll(async () => {
    await server?.close()
    await store?.destroy()
  })

  it('500 "Token generation failed", with the cause logged and the certificate nowhere', async () => {
    const user = await newUser(server)
    const call = await createCall(server, user, { isPublic: true })
    await server.request('POST', `/api/calling/${call.callId}/join`, { token: user.token })
    const response = await server.request('POST', '/api/calling/token', { token: user.token, body: { channelName: call.channelName } })
    expect(response.status).toBe(500)
    expect(response.body).toEqual({ success: false, error: 'Token generation failed', code: 'TOKEN_GENERATION_FAILED' })
    expect(response.text).not.toContain(certificate)
    const logged = server.logs.find((line) => line.includes('token generation failed'))
    expect(logged).toBeDefined()
    expect(logged).toContain('[redacted] rejected')
    expect(server.logs.join('\n')).not.toContain(certificate)
  })
})
