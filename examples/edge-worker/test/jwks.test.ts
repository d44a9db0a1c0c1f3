// SESSION_JWKS_URL: the Worker verifies session JWTs with an identity provider's public keys, fetched over HTTP
// from the JWKS endpoint (here a tiny server of the test's own on 127.0.0.1) once per isolate.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CALL_ID, ROLE, USER_ID } from '../../../runtimes/src/credentials.mjs'
import { signSessionJwt } from '../src/scripts/session-jwt'
import { post, recheck, sessionSecret, workerEnv } from './support/http'
import { startWorkers, type RunningWorkers } from './support/workerd'

const ISSUER = 'https://idp.example.com/'
const AUDIENCE = 'video-api'
const KID = 'idp-key-1'

let jwks: Server
let jwksFetches = 0
let privateKey: CryptoKey
let workers: RunningWorkers

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

beforeAll(async () => {
  const pair = await generateKeyPair('ES256')
  privateKey = pair.privateKey
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'ES256', use: 'sig' }
  jwks = createServer((request, response) => {
    jwksFetches++
    if (request.url !== '/.well-known/jwks.json') return void response.writeHead(404).end()
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }))
  })
  const base = await listen(jwks)
  // An identity provider that is down: a port that nothing listens on any more.
  const gone = createServer()
  const goneBase = await listen(gone)
  await new Promise((resolve) => gone.close(resolve))
  const settings = { SESSION_ISSUER: ISSUER, SESSION_AUDIENCE: AUDIENCE }
  workers = await startWorkers({
    jwks: workerEnv('twilio', { ...settings, SESSION_JWKS_URL: `${base}/.well-known/jwks.json` }),
    down: workerEnv('twilio', { ...settings, SESSION_JWKS_URL: `${goneBase}/.well-known/jwks.json` }),
  })
})
afterAll(async () => {
  await workers?.stop()
  await new Promise((resolve) => jwks?.close(resolve))
})

/** A session JWT as the identity provider issues it: ES256 with its key, `iss`, `aud`, `roles`. */
function idpToken(claims: { iss?: string; aud?: string } = {}, key: CryptoKey = privateKey, kid = KID) {
  return new SignJWT({ roles: [ROLE] })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setSubject(USER_ID)
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key)
}

const url = (worker = 'jwks') => workers.url(worker, '/api/tokens/call')

describe('SESSION_JWKS_URL', () => {
  it("accepts the identity provider's ES256 tokens (the JWKS fetched once for many requests); the token verifies", async () => {
    for (let i = 0; i < 3; i++) {
      const answer = await post(url(), { token: await idpToken(), body: { callId: CALL_ID, role: ROLE } })
      expect(answer.status, answer.text).toBe(200)
      await recheck('twilio', 'call', answer.body.data)
    }
    expect(jwksFetches).toBe(1)
  })

  it.each([
    ['another audience', () => idpToken({ aud: 'another-app' }), 'The token audience is not accepted'],
    ['another issuer', () => idpToken({ iss: 'https://evil.example.com/' }), 'The token issuer is not accepted'],
    ['HS256 with a shared secret', () => signSessionJwt(sessionSecret(), { userId: USER_ID }), 'The token algorithm is not accepted'],
  ])('refuses a token for %s: 401 invalid_token', async (_name, token, reason) => {
    const answer = await post(url(), { token: await token(), body: { callId: CALL_ID } })
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 401, code: 'ERR_CALLTOKEN_UNAUTHENTICATED' })
    expect(answer.headers.get('www-authenticate')).toBe(`Bearer error="invalid_token", error_description="${reason}"`)
  })

  it('refuses a token signed by a key the JWKS does not hold: 401', async () => {
    const other = await generateKeyPair('ES256')
    const answer = await post(url(), { token: await idpToken({}, other.privateKey), body: { callId: CALL_ID } })
    expect(answer.status).toBe(401)
    expect(answer.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="The token signature is invalid"')
  })

  it('the identity provider unreachable: 503 AUTH_UNAVAILABLE, not a refused token', async () => {
    const answer = await post(url('down'), { token: await idpToken(), body: { callId: CALL_ID } })
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 503, code: 'ERR_CALLTOKEN_AUTH_UNAVAILABLE' })
  })
})
