import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isCallTokenError } from '../../src/index'
import { bearerJwt, type BearerJwtOptions } from '../../src/http/index'

// The end-to-end check through createCallTokenRouter lives in packages/express/test/bearer-jwt.test.ts:
// core may not depend on express or supertest.

const SECRET = 'a-session-secret-of-32-characters'
const OTHER_SECRET = 'another-secret-of-32-characters!'
const secretKey = (secret: string) => new TextEncoder().encode(secret)
const nowS = () => Math.floor(Date.now() / 1000)

interface SignOptions {
  secret?: string
  alg?: string
  issuer?: string
  audience?: string
  /** Seconds from now; negative is in the past. */
  expiresIn?: number
  notBeforeIn?: number
}

/** An HS256 (by default) session JWT as an app's own login would issue it. */
async function hsToken(payload: JWTPayload, { secret = SECRET, alg = 'HS256', issuer, audience, expiresIn = 600, notBeforeIn }: SignOptions = {}): Promise<string> {
  let jwt = new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).setIssuedAt().setExpirationTime(nowS() + expiresIn)
  if (issuer !== undefined) jwt = jwt.setIssuer(issuer)
  if (audience !== undefined) jwt = jwt.setAudience(audience)
  if (notBeforeIn !== undefined) jwt = jwt.setNotBefore(nowS() + notBeforeIn)
  return jwt.sign(secretKey(secret))
}

const withAuthorization = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization } })
const bearer = (token: string) => withAuthorization(`Bearer ${token}`)

function expectConfigError(options: BearerJwtOptions): void {
  let thrown: unknown
  try {
    bearerJwt(options)
  } catch (error) {
    thrown = error
  }
  expect(isCallTokenError(thrown), String(thrown)).toBe(true)
  expect(thrown).toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' })
}

describe('bearerJwt with a secret (HS256)', () => {
  const authenticate = bearerJwt({ secret: SECRET })

  it('a valid token gives the principal: sub as userId, roles from an array claim', async () => {
    expect(await authenticate(bearer(await hsToken({ sub: 'user_id_123', roles: ['admin', 'member'] })))).toEqual({
      userId: 'user_id_123',
      roles: ['admin', 'member'],
    })
  })

  it('roles from a string claim, none when absent, and only the strings of a mixed array', async () => {
    expect(await authenticate(bearer(await hsToken({ sub: 'alice', roles: 'moderator' })))).toEqual({ userId: 'alice', roles: ['moderator'] })
    expect(await authenticate(bearer(await hsToken({ sub: 'alice' })))).toEqual({ userId: 'alice', roles: [] })
    expect(await authenticate(bearer(await hsToken({ sub: 'alice', roles: ['member', 7, null, { role: 'admin' }] })))).toEqual({
      userId: 'alice',
      roles: ['member'],
    })
  })

  it('a numeric sub becomes a string', async () => {
    expect(await authenticate(bearer(await hsToken({ sub: 123456 } as unknown as JWTPayload)))).toEqual({ userId: '123456', roles: [] })
  })

  it('custom userIdClaim and rolesClaim', async () => {
    const custom = bearerJwt({ secret: SECRET, userIdClaim: 'uid', rolesClaim: 'https://example.com/roles' })
    const token = await hsToken({ sub: 'ignored', uid: 'u-42', roles: ['admin'], 'https://example.com/roles': ['support'] })
    expect(await custom(bearer(token))).toEqual({ userId: 'u-42', roles: ['support'] })
    expect(await custom(bearer(await hsToken({ uid: 99 })))).toEqual({ userId: '99', roles: [] })
    // The default claims are not consulted as a fallback.
    expect(await custom(bearer(await hsToken({ sub: 'alice', roles: ['admin'] })))).toBeNull()
  })

  it('accepts the scheme in any case and surrounding whitespace', async () => {
    const token = await hsToken({ sub: 'alice' })
    expect(await authenticate(withAuthorization(`bearer ${token}`))).toMatchObject({ userId: 'alice' })
    expect(await authenticate(withAuthorization(`BEARER   ${token}  `))).toMatchObject({ userId: 'alice' })
  })

  it('null without a usable header: missing, empty, another scheme, no token, garbage', async () => {
    const token = await hsToken({ sub: 'alice' })
    expect(await authenticate(withAuthorization())).toBeNull()
    expect(await authenticate(withAuthorization(''))).toBeNull()
    expect(await authenticate(withAuthorization(`Basic ${Buffer.from('alice:pw').toString('base64')}`))).toBeNull()
    expect(await authenticate(withAuthorization(`Token ${token}`))).toBeNull()
    expect(await authenticate(withAuthorization('Bearer'))).toBeNull()
    expect(await authenticate(withAuthorization('Bearer '))).toBeNull()
    expect(await authenticate(withAuthorization(`Bearer ${token} extra`))).toBeNull()
    expect(await authenticate(withAuthorization(`Bearer ${token}`.replace('Bearer ', 'Bearer\u0000')))).toBeNull()
    expect(await authenticate(bearer('not-a-jwt'))).toBeNull()
    expect(await authenticate(bearer('a.b.c'))).toBeNull()
    expect(await authenticate(bearer('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.AAAA'))).toBeNull()
  })

  it('null for a token without a usable user id claim', async () => {
    expect(await authenticate(bearer(await hsToken({})))).toBeNull()
    expect(await authenticate(bearer(await hsToken({ sub: '' })))).toBeNull()
    expect(await authenticate(bearer(await hsToken({ sub: ['alice'] } as unknown as JWTPayload)))).toBeNull()
  })

  it('null when expired or not yet valid, beyond the 5 s tolerance; accepted within it', async () => {
    expect(await authenticate(bearer(await hsToken({ sub: 'alice' }, { expiresIn: -60 })))).toBeNull()
    expect(await authenticate(bearer(await hsToken({ sub: 'alice' }, { notBeforeIn: 60 })))).toBeNull()
    expect(await authenticate(bearer(await hsToken({ sub: 'alice' }, { expiresIn: -2 })))).toMatchObject({ userId: 'alice' })
    expect(await authenticate(bearer(await hsToken({ sub: 'alice' }, { notBeforeIn: 2 })))).toMatchObject({ userId: 'alice' })
    const strict = bearerJwt({ secret: SECRET, clockToleranceSeconds: 0 })
    expect(await strict(bearer(await hsToken({ sub: 'alice' }, { expiresIn: -2 })))).toBeNull()
  })

  it('null for a token signed with another secret, or tampered with', async () => {
    expect(await authenticate(bearer(await hsToken({ sub: 'alice' }, { secret: OTHER_SECRET })))).toBeNull()
    const [header, , signature] = (await hsToken({ sub: 'alice' })).split('.')
    const forgedPayload = Buffer.from(JSON.stringify({ sub: 'admin', exp: nowS() + 600 })).toString('base64url')
    expect(await authenticate(bearer(`${header}.${forgedPayload}.${signature}`))).toBeNull()
  })

  it('checks issuer and audience when configured', async () => {
    const scoped = bearerJwt({ secret: SECRET, issuer: 'https://auth.example.com', audience: ['calltoken', 'api'] })
    const good = await hsToken({ sub: 'alice' }, { issuer: 'https://auth.example.com', audience: 'api' })
    expect(await scoped(bearer(good))).toMatchObject({ userId: 'alice' })
    expect(await scoped(bearer(await hsToken({ sub: 'alice' }, { issuer: 'https://evil.example.com', audience: 'api' })))).toBeNull()
    expect(await scoped(bearer(await hsToken({ sub: 'alice' }, { issuer: 'https://auth.example.com', audience: 'other' })))).toBeNull()
    expect(await scoped(bearer(await hsToken({ sub: 'alice' }, { audience: 'api' })))).toBeNull() // no iss at all
    expect(await scoped(bearer(await hsToken({ sub: 'alice' }, { issuer: 'https://auth.example.com' })))).toBeNull() // no aud at all
  })

  it('null for an unsecured token (alg: none)', async () => {
    const unsecured = new UnsecuredJWT({ sub: 'admin', roles: ['admin'] }).setIssuedAt().setExpirationTime('10m').encode()
    expect(unsecured.endsWith('.')).toBe(true)
    expect(await authenticate(bearer(unsecured))).toBeNull()
    // Also a hand-made one claiming "alg":"none" with a signature part.
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'admin', exp: nowS() + 600 })).toString('base64url')}.x`
    expect(await authenticate(bearer(none))).toBeNull()
  })

  it('only HS256 by default: an HS384 token with the right secret is refused unless algorithms allows it', async () => {
    const hs384 = await hsToken({ sub: 'alice' }, { alg: 'HS384' })
    expect(await authenticate(bearer(hs384))).toBeNull()
    expect(await bearerJwt({ secret: SECRET, algorithms: ['HS384'] })(bearer(hs384))).toMatchObject({ userId: 'alice' })
    expect(await bearerJwt({ secret: SECRET, algorithms: ['HS384'] })(bearer(await hsToken({ sub: 'alice' })))).toBeNull()
  })

  it('reads the first value when the header is an array', async () => {
    const token = await hsToken({ sub: 'alice' })
    expect(await authenticate({ headers: { authorization: [`Bearer ${token}`, 'Bearer nope'] } })).toMatchObject({ userId: 'alice' })
  })

  it('refuses a bad configuration with ERR_CALLTOKEN_INVALID_CONFIG', () => {
    expectConfigError({})
    expectConfigError({ secret: SECRET, jwksUrl: 'https://auth.example.com/.well-known/jwks.json' })
    expectConfigError({ secret: 'too-short' })
    expectConfigError({ secret: '' })
    expectConfigError({ secret: `   ${'x'.repeat(10)}        ` }) // 21 characters, 10 once trimmed
    expect(() => bearerJwt({ secret: 'x'.repeat(16) })).not.toThrow()
  })
})

describe('bearerJwt with jwksUrl', () => {
  let server: Server
  let jwksUrl: string
  let requests = 0
  let rsaPrivate: CryptoKey
  let ecPrivate: CryptoKey
  let strangerPrivate: CryptoKey

  beforeAll(async () => {
    const rsa = await generateKeyPair('RS256')
    const ec = await generateKeyPair('ES256')
    const stranger = await generateKeyPair('RS256')
    rsaPrivate = rsa.privateKey
    ecPrivate = ec.privateKey
    strangerPrivate = stranger.privateKey
    const keys: JWK[] = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ]
    server = createServer((req, res) => {
      requests++
      if (req.url !== '/.well-known/jwks.json') {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`
  })

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  const sign = (key: CryptoKey, alg: string, kid: string, payload: JWTPayload = { sub: 'idp|alice', roles: ['member'] }) =>
    new SignJWT(payload).setProtectedHeader({ alg, kid }).setIssuedAt().setIssuer('https://idp.example.com').setAudience('calltoken').setExpirationTime('5m').sign(key)

  it('verifies RS256 and ES256 tokens against the served key set', async () => {
    const authenticate = bearerJwt({ jwksUrl, issuer: 'https://idp.example.com', audience: 'calltoken' })
    expect(await authenticate(bearer(await sign(rsaPrivate, 'RS256', 'rsa-1')))).toEqual({ userId: 'idp|alice', roles: ['member'] })
    expect(await authenticate(bearer(await sign(ecPrivate, 'ES256', 'ec-1', { sub: 'bob' })))).toEqual({ userId: 'bob', roles: [] })
    expect(requests).toBeGreaterThan(0) // the keys really came over HTTP
  })

  it('accepts a URL object', async () => {
    const authenticate = bearerJwt({ jwksUrl: new URL(jwksUrl) })
    expect(await authenticate(bearer(await sign(rsaPrivate, 'RS256', 'rsa-1')))).toMatchObject({ userId: 'idp|alice' })
  })

  it('null for a token signed by a key outside the set, whether its kid is unknown or borrowed', async () => {
    const authenticate = bearerJwt({ jwksUrl })
    expect(await authenticate(bearer(await sign(strangerPrivate, 'RS256', 'rsa-1')))).toBeNull()
    expect(await authenticate(bearer(await sign(strangerPrivate, 'RS256', 'unknown-kid')))).toBeNull()
  })

  it('null for an HS256 token (no key confusion with the public keys) and for alg: none', async () => {
    const authenticate = bearerJwt({ jwksUrl })
    expect(await authenticate(bearer(await hsToken({ sub: 'alice' })))).toBeNull()
    const unsecured = new UnsecuredJWT({ sub: 'admin' }).setExpirationTime('10m').encode()
    expect(await authenticate(bearer(unsecured))).toBeNull()
  })

  it('algorithms restricts the accepted ones', async () => {
    const rsOnly = bearerJwt({ jwksUrl, algorithms: ['RS256'] })
    expect(await rsOnly(bearer(await sign(rsaPrivate, 'RS256', 'rsa-1')))).toMatchObject({ userId: 'idp|alice' })
    expect(await rsOnly(bearer(await sign(ecPrivate, 'ES256', 'ec-1')))).toBeNull()
  })

  it('an unreachable key server is an error (→ the framework\'s 500), not a silent 401', async () => {
    const dead = createServer()
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve))
    const port = (dead.address() as AddressInfo).port
    await new Promise((resolve) => dead.close(resolve))
    const authenticate = bearerJwt({ jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json` })
    await expect(authenticate(bearer(await sign(rsaPrivate, 'RS256', 'rsa-1')))).rejects.toThrow()
  })
})
