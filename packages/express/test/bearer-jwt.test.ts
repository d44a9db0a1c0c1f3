import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { bearerJwt, createCallTokenRouter } from '@calltoken/express'
import { fixedClock } from '@calltoken/test-kit'
import express from 'express'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contractProviders } from './support/contract-providers'

// bearerJwt's own cases are in packages/core/test/http/bearer-jwt.test.ts; this is the wiring, end to end.

const SESSION_SECRET = 'the-apps-own-session-secret-0123'
const [stream] = contractProviders.providers
const ISSUER = 'https://idp.example.com'
const AUDIENCE = 'calltoken'

/** The app's login would issue this: `Authorization: Bearer <user_jwt_token>`. */
const sessionJwt = (sub: string, { secret = SESSION_SECRET, expiresAt = '1h' }: { secret?: string; expiresAt?: string | number } = {}) =>
  new SignJWT({ sub, roles: ['member'] }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(expiresAt).sign(new TextEncoder().encode(secret))

interface LogLine {
  level: string
  details: Record<string, unknown>
  message: string
}
function recordingLogger() {
  const lines: LogLine[] = []
  return {
    lines,
    logger: {
      warn: (details: Record<string, unknown>, message: string) => void lines.push({ level: 'warn', details, message }),
      error: (details: Record<string, unknown>, message: string) => void lines.push({ level: 'error', details, message }),
    },
  }
}

describe('express: createCallTokenRouter with authenticate: bearerJwt({ secret })', () => {
  const { lines, logger } = recordingLogger()
  const app = express().use('/api/v1/stream', createCallTokenRouter({ provider: stream!, now: fixedClock(), rateLimit: false, authenticate: bearerJwt({ secret: SESSION_SECRET, logger }) }))

  it('401 envelope with a bare Bearer challenge without an Authorization header or with another scheme', async () => {
    for (const pending of [request(app).post('/api/v1/stream/tokens/user'), request(app).post('/api/v1/stream/tokens/user').set('authorization', 'Basic dXNlcjpwYXNz')]) {
      const response = await pending
      expect(response.status).toBe(401)
      expect(response.headers['cache-control']).toBe('no-store')
      expect(response.headers['www-authenticate']).toBe('Bearer') // RFC 6750, from bearerJwt's challenge
      expect(response.body).toEqual({ success: false, error: 'Authentication required', code: 'ERR_CALLTOKEN_UNAUTHENTICATED' })
    }
  })

  it('401 with error="invalid_token" and the reason for an expired token; one warn line, without the token', async () => {
    lines.length = 0
    const expired = await sessionJwt('user_id_123', { expiresAt: Math.floor(Date.now() / 1000) - 60 })
    const response = await request(app).post('/api/v1/stream/tokens/user').set('authorization', `Bearer ${expired}`)
    expect(response.status).toBe(401)
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token", error_description="The token expired"')
    expect(response.body).toMatchObject({ success: false, code: 'ERR_CALLTOKEN_UNAUTHENTICATED' })
    expect(JSON.stringify(response.body)).not.toContain(expired.split('.')[1])
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: 'warn', details: { reason: 'The token expired' } })
    const logged = JSON.stringify(lines)
    for (const part of expired.split('.')) expect(logged).not.toContain(part)
  })

  it('401 with the reason for a token the secret did not sign, and for a malformed one', async () => {
    const cases: Array<[string, string]> = [
      [`Bearer ${await sessionJwt('user_id_123', { secret: 'some-other-secret-0123456789' })}`, 'The token signature is invalid'],
      ['Bearer not-a-jwt', 'The token is malformed'],
      ['Bearer "quoted"', 'The token is malformed'],
      [`Bearer ${Buffer.from('{"alg":"RS256"}').toString('base64url')}.e30.AAAA`, 'The token algorithm is not accepted'],
    ]
    for (const [authorization, reason] of cases) {
      const response = await request(app).post('/api/v1/stream/tokens/user').set('authorization', authorization)
      expect(response.status, authorization).toBe(401)
      expect(response.headers['www-authenticate']).toBe(`Bearer error="invalid_token", error_description="${reason}"`)
      expect(response.body).toMatchObject({ success: false, code: 'ERR_CALLTOKEN_UNAUTHENTICATED' })
    }
  })

  it('200 with the user id from the JWT for a valid bearer token, no body needed (the signed-in user\'s token)', async () => {
    const response = await request(app)
      .post('/api/v1/stream/tokens/user')
      .set('authorization', `Bearer ${await sessionJwt('user_id_123')}`)
      .set('content-type', 'application/json')
    expect(response.status).toBe(200)
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.body).toMatchObject({ success: true, data: { userId: 'user_id_123', token: expect.any(String), expiresAt: expect.any(String) } })
    expect(await stream!.verify(response.body.data.token, { now: fixedClock() })).toMatchObject({ userId: 'user_id_123' })
  })

  it("403 when the JWT's user asks for someone else's token", async () => {
    const response = await request(app)
      .post('/api/v1/stream/tokens/user')
      .set('authorization', `Bearer ${await sessionJwt('user_id_123')}`)
      .send({ userId: 'someone_else' })
    expect(response.status).toBe(403)
    expect(response.body).toMatchObject({ success: false, code: 'ERR_CALLTOKEN_FORBIDDEN' })
  })
})

it('with the rate limiter on, refused tokens get the same 401 and count against the client IP', async () => {
  const app = express().use('/api', createCallTokenRouter({ provider: stream!, now: fixedClock(), rateLimit: { max: 2 }, authenticate: bearerJwt({ secret: SESSION_SECRET }) }))
  const forged = `Bearer ${await sessionJwt('user_id_123', { secret: 'some-other-secret-0123456789' })}`
  const answers = []
  for (let i = 0; i < 3; i++) answers.push(await request(app).post('/api/tokens/user').set('authorization', forged))
  expect(answers.map((a) => a.status)).toEqual([401, 401, 429])
  expect(answers[0]!.headers['www-authenticate']).toBe('Bearer error="invalid_token", error_description="The token signature is invalid"')
  expect(answers[0]!.headers).toMatchObject({ 'cache-control': 'no-store', 'ratelimit-policy': '2;w=60', ratelimit: 'limit=2, remaining=1, reset=60' })
  expect(answers[2]!.body).toMatchObject({ code: 'ERR_CALLTOKEN_RATE_LIMITED' })
  // A valid session of a user counts under that user, not under the IP the guesses used up.
  expect((await request(app).post('/api/tokens/user').set('authorization', `Bearer ${await sessionJwt('user_id_123')}`)).status).toBe(200)
})

describe('express: createCallTokenRouter with authenticate: bearerJwt({ jwksUrl })', () => {
  let jwks: Server
  let jwksUrl: string
  let privateKey: CryptoKey

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256')
    privateKey = pair.privateKey
    const body = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] })
    jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body))
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve))
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`
  })
  afterAll(() => new Promise((resolve) => jwks.close(resolve)))

  const idpToken = () =>
    new SignJWT({ sub: 'idp_alice' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('5m').sign(privateKey)
  const appFor = (url: string, logger?: ReturnType<typeof recordingLogger>['logger']) =>
    express().use(
      '/api',
      createCallTokenRouter({ provider: stream!, now: fixedClock(), rateLimit: false, authenticate: bearerJwt({ jwksUrl: url, issuer: ISSUER, audience: AUDIENCE, jwksTimeoutMs: 1000, ...(logger ? { logger } : {}) }) }),
    )

  it('200 for a token of the identity provider, its keys fetched from the JWKS', async () => {
    const response = await request(appFor(jwksUrl)).post('/api/tokens/user').set('authorization', `Bearer ${await idpToken()}`)
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ success: true, data: { userId: 'idp_alice' } })
  })

  it('503 ERR_CALLTOKEN_AUTH_UNAVAILABLE when the JWKS endpoint is down, logged at error without the token', async () => {
    const dead = createServer()
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve))
    const deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/jwks.json`
    await new Promise((resolve) => dead.close(resolve))
    const { lines, logger } = recordingLogger()
    const token = await idpToken()
    const response = await request(appFor(deadUrl, logger)).post('/api/tokens/user').set('authorization', `Bearer ${token}`)
    expect(response.status).toBe(503)
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.headers['www-authenticate']).toBeUndefined()
    expect(response.body).toMatchObject({ success: false, code: 'ERR_CALLTOKEN_AUTH_UNAVAILABLE' })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: 'error', details: { cause: expect.any(String) } })
    for (const part of token.split('.')) expect(JSON.stringify(lines)).not.toContain(part)
  })
})
