import { bearerJwt, createCallTokenRouter } from '@calltoken/express'
import { fixedClock } from '@calltoken/test-kit'
import express from 'express'
import { SignJWT } from 'jose'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { contractProviders } from '../../test-kit/src/providers'

// bearerJwt's own cases are in packages/core/test/http/bearer-jwt.test.ts; this is the wiring, end to end.

const SESSION_SECRET = 'the-apps-own-session-secret-0123'
const [stream] = contractProviders.providers

/** The app's login would issue this: `Authorization: Bearer <user_jwt_token>` (seed 002). */
const sessionJwt = (sub: string, secret = SESSION_SECRET) =>
  new SignJWT({ sub, roles: ['member'] }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(secret))

describe('express: createCallTokenRouter with authenticate: bearerJwt({ secret })', () => {
  const app = express().use('/api/v1/stream', createCallTokenRouter({ provider: stream!, now: fixedClock(), authenticate: bearerJwt({ secret: SESSION_SECRET }) }))

  it('401 envelope with a Bearer challenge without an Authorization header, or with a token the secret did not sign', async () => {
    for (const pending of [
      request(app).post('/api/v1/stream/tokens/user'),
      request(app).post('/api/v1/stream/tokens/user').set('authorization', `Bearer ${await sessionJwt('user_id_123', 'some-other-secret-0123456789')}`),
      request(app).post('/api/v1/stream/tokens/user').set('authorization', 'Basic dXNlcjpwYXNz'),
    ]) {
      const response = await pending
      expect(response.status).toBe(401)
      expect(response.headers['cache-control']).toBe('no-store')
      expect(response.headers['www-authenticate']).toBe('Bearer') // RFC 6750, from bearerJwt's challenge
      expect(response.body).toEqual({ success: false, error: 'Authentication required', code: 'ERR_CALLTOKEN_UNAUTHENTICATED' })
    }
  })

  it('200 with the user id from the JWT for a valid bearer token, no body needed (seed 002)', async () => {
    const response = await request(app)
      .post('/api/v1/stream/tokens/user')
      .set('authorization', `Bearer ${await sessionJwt('user_id_123')}`)
      .set('content-type', 'application/json')
    expect(response.status).toBe(200)
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.body).toMatchObject({ success: true, data: { userId: 'user_id_123', token: expect.any(String), expiresAt: expect.any(String) } })
    expect(stream!.verify(response.body.data.token, { now: fixedClock() })).toMatchObject({ userId: 'user_id_123' })
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
