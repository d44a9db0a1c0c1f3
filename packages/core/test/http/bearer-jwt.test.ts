import { createHmac, generateKeyPairSync, sign as nodeSign } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isCallTokenError, type CallTokenError } from '../../src/index'
import { challengeFor } from '../../src/http/challenge'
import { bearerJwt, type BearerJwtOptions, type RequestWithHeaders } from '../../src/http/index'

// The end-to-end check through createCallTokenRouter lives in packages/express/test/bearer-jwt.test.ts:
// core may not depend on express or supertest.

const SECRET = 'a-session-secret-of-32-characters'
const OTHER_SECRET = 'another-secret-of-32-characters!'
const secretKey = (secret: string) => new TextEncoder().encode(secret)
const nowS = () => Math.floor(Date.now() / 1000)
const b64url = (value: string | object) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

const REASON = {
  expired: 'The token expired',
  signature: 'The token signature is invalid',
  issuer: 'The token issuer is not accepted',
  audience: 'The token audience is not accepted',
  notYetValid: 'The token is not valid yet',
  noExpiry: 'The token has no expiry',
  algorithm: 'The token algorithm is not accepted',
  malformed: 'The token is malformed',
  noUser: 'The token names no user',
} as const
type Reason = (typeof REASON)[keyof typeof REASON]

interface SignOptions {
  secret?: string
  alg?: string
  issuer?: string
  audience?: string
  /** Seconds from now; negative is in the past. undefined: no exp at all. */
  expiresIn?: number | undefined
  notBeforeIn?: number
  /** Seconds from now; default now. */
  issuedAtIn?: number
}

/** An HS256 (by default) session JWT as an app's own login would issue it. */
async function hsToken(payload: JWTPayload, options: SignOptions = {}): Promise<string> {
  const { secret = SECRET, alg = 'HS256', issuer, audience, notBeforeIn, issuedAtIn = 0 } = options
  const expiresIn = 'expiresIn' in options ? options.expiresIn : 600
  let jwt = new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).setIssuedAt(nowS() + issuedAtIn)
  if (expiresIn !== undefined) jwt = jwt.setExpirationTime(nowS() + expiresIn)
  if (issuer !== undefined) jwt = jwt.setIssuer(issuer)
  if (audience !== undefined) jwt = jwt.setAudience(audience)
  if (notBeforeIn !== undefined) jwt = jwt.setNotBefore(nowS() + notBeforeIn)
  return jwt.sign(secretKey(secret))
}

/** A token of any header and payload text, correctly HS256-signed with SECRET: only the content is wrong. */
function rawHs256(header: string | object, payload: string | object, secret = SECRET): string {
  const input = `${b64url(header)}.${b64url(payload)}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

const withAuthorization = (authorization?: string): RequestWithHeaders => ({ headers: authorization === undefined ? {} : { authorization } })
const bearer = (token: string) => withAuthorization(`Bearer ${token}`)

/** Refused with authenticationFailed(reason): a 401 whose challenge carries exactly that description. */
async function expectRefused(pending: Promise<unknown>, reason: Reason): Promise<CallTokenError> {
  const error = await pending.then(
    (value) => {
      throw new Error(`expected a refusal (${reason}), got ${JSON.stringify(value)}`)
    },
    (e: unknown) => e,
  )
  expect(isCallTokenError(error), String(error)).toBe(true)
  const refused = error as CallTokenError
  expect(refused).toMatchObject({ code: 'ERR_CALLTOKEN_UNAUTHENTICATED', status: 401 })
  expect(challengeFor('Bearer', refused)).toBe(`Bearer error="invalid_token", error_description="${reason}"`)
  return refused
}

async function expectUnavailable(pending: Promise<unknown>): Promise<CallTokenError> {
  const error = await pending.then(
    (value) => {
      throw new Error(`expected AUTH_UNAVAILABLE, got ${JSON.stringify(value)}`)
    },
    (e: unknown) => e,
  )
  expect(isCallTokenError(error), String(error)).toBe(true)
  expect(error).toMatchObject({ code: 'ERR_CALLTOKEN_AUTH_UNAVAILABLE', status: 503, message: "The identity provider's keys could not be fetched" })
  return error as CallTokenError
}

function configErrorOf(options: BearerJwtOptions): CallTokenError {
  let thrown: unknown
  try {
    bearerJwt(options)
  } catch (error) {
    thrown = error
  }
  expect(isCallTokenError(thrown), `${JSON.stringify(options)} → ${String(thrown)}`).toBe(true)
  expect(thrown).toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' })
  return thrown as CallTokenError
}

interface LogLine {
  level: 'warn' | 'error'
  details: Record<string, unknown>
  message: string
}
function recordingLogger(withWarn = true) {
  const lines: LogLine[] = []
  const error = (details: Record<string, unknown>, message: string) => void lines.push({ level: 'error', details, message })
  const warn = (details: Record<string, unknown>, message: string) => void lines.push({ level: 'warn', details, message })
  return { lines, logger: withWarn ? { warn, error } : { error } }
}

/** A node:http server on 127.0.0.1, port 0. */
async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json` }
}
const close = (server: Server) =>
  new Promise((resolve) => {
    server.closeAllConnections()
    server.close(resolve)
  })

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
    await expectRefused(custom(bearer(await hsToken({ sub: 'alice', roles: ['admin'] }))), REASON.noUser)
  })

  it('accepts the scheme in any case and surrounding whitespace', async () => {
    const token = await hsToken({ sub: 'alice' })
    expect(await authenticate(withAuthorization(`bearer ${token}`))).toMatchObject({ userId: 'alice' })
    expect(await authenticate(withAuthorization(`BEARER   ${token}  `))).toMatchObject({ userId: 'alice' })
    expect(await authenticate(withAuthorization(`Bearer\t${token}`))).toMatchObject({ userId: 'alice' })
  })

  it('null when nothing is presented: no header, an empty one, another scheme', async () => {
    const token = await hsToken({ sub: 'alice' })
    expect(await authenticate(withAuthorization())).toBeNull()
    expect(await authenticate(withAuthorization(''))).toBeNull()
    expect(await authenticate(withAuthorization('   '))).toBeNull()
    expect(await authenticate(withAuthorization(`Basic ${Buffer.from('alice:pw').toString('base64')}`))).toBeNull()
    expect(await authenticate(withAuthorization(`Token ${token}`))).toBeNull()
    expect(await authenticate(withAuthorization(`Bearer${token}`))).toBeNull() // "Bearereyj…" is another scheme
    expect(await authenticate(withAuthorization(`Bearer ${token}`.replace('Bearer ', 'Bearer\u0000')))).toBeNull()
    expect(await authenticate({ headers: { authorization: [] } })).toBeNull()
  })

  it('"The token is malformed" for a Bearer value that is not a token68, or not a JWT', async () => {
    const token = await hsToken({ sub: 'alice' })
    for (const value of [
      'Bearer',
      'Bearer ',
      `Bearer ${token} extra`,
      `Bearer ${token},${token}`,
      `Bearer "${token}"`,
      `Bearer ${token.replace('.', '=.')}`, // '=' only at the end of a token68
      `Bearer ${token}\u00e9`,
      'Bearer not-a-jwt',
      'Bearer a.b.c',
      'Bearer ...',
      'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9', // two parts
      `Bearer ${token}.${token.split('.')[2]}`, // four parts
    ]) {
      await expectRefused(authenticate(withAuthorization(value)), REASON.malformed)
    }
  })

  it('"The token names no user" for a token without a usable user id claim', async () => {
    await expectRefused(authenticate(bearer(await hsToken({}))), REASON.noUser)
    await expectRefused(authenticate(bearer(await hsToken({ sub: '' }))), REASON.noUser)
    await expectRefused(authenticate(bearer(await hsToken({ sub: ['alice'] } as unknown as JWTPayload))), REASON.noUser)
    await expectRefused(authenticate(bearer(await hsToken({ sub: { id: 'alice' } } as unknown as JWTPayload))), REASON.noUser)
  })

  it('"The token has no expiry": exp is required', async () => {
    await expectRefused(authenticate(bearer(await hsToken({ sub: 'alice' }, { expiresIn: undefined }))), REASON.noExpiry)
  })

  it('"The token expired" beyond the 5 s tolerance; accepted within it; clockToleranceSeconds: 0 is exact', async () => {
    await expectRefused(authenticate(bearer(await hsToken({ sub: 'alice' }, { expiresIn: -60 }))), REASON.expired)
    await expectRefused(authenticate(bearer(await hsToken({ sub: 'alice' }, { expiresIn: -6 }))), REASON.expired)
    expect(await authenticate(bearer(await hsToken({ sub: 'alice' }, { expiresIn: -2 })))).toMatchObject({ userId: 'alice' })
    const strict = bearerJwt({ secret: SECRET, clockToleranceSeconds: 0 })
    await expectRefused(strict(bearer(await hsToken({ sub: 'alice' }, { expiresIn: -2 }))), REASON.expired)
    const lenient = bearerJwt({ secret: SECRET, clockToleranceSeconds: 120 })
    expect(await lenient(bearer(await hsToken({ sub: 'alice' }, { expiresIn: -60 })))).toMatchObject({ userId: 'alice' })
  })

  it('"The token is not valid yet" for an nbf or an iat in the future beyond the tolerance; accepted within it', async () => {
    await expectRefused(authenticate(bearer(await hsToken({ sub: 'alice' }, { notBeforeIn: 60 }))), REASON.notYetValid)
    await expectRefused(authenticate(bearer(await hsToken({ sub: 'alice' }, { issuedAtIn: 60 }))), REASON.notYetValid)
    await expectRefused(authenticate(bearer(await hsToken({ sub: 'alice' }, { issuedAtIn: 3600, expiresIn: 7200 }))), REASON.notYetValid)
    expect(await authenticate(bearer(await hsToken({ sub: 'alice' }, { notBeforeIn: 2 })))).toMatchObject({ userId: 'alice' })
    expect(await authenticate(bearer(await hsToken({ sub: 'alice' }, { issuedAtIn: 2 })))).toMatchObject({ userId: 'alice' })
    const strict = bearerJwt({ secret: SECRET, clockToleranceSeconds: 0 })
    await expectRefused(strict(bearer(await hsToken({ sub: 'alice' }, { issuedAtIn: 2 }))), REASON.notYetValid)
    await expectRefused(strict(bearer(await hsToken({ sub: 'alice' }, { notBeforeIn: 2 }))), REASON.notYetValid)
    // No iat at all is fine.
    const noIat = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('10m').sign(secretKey(SECRET))
    expect(await authenticate(bearer(noIat))).toMatchObject({ userId: 'alice' })
  })

  it('now() sets the clock of exp, nbf and iat', async () => {
    const issuedAt = 1_700_000_000
    const token = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(issuedAt + 600)
      .sign(secretKey(SECRET))
    const at = (s: number) => bearerJwt({ secret: SECRET, now: () => s * 1000 })
    expect(await at(issuedAt + 300)(bearer(token))).toMatchObject({ userId: 'alice' })
    await expectRefused(at(issuedAt + 606)(bearer(token)), REASON.expired)
    await expectRefused(at(issuedAt - 6)(bearer(token)), REASON.notYetValid)
    expect(await at(issuedAt - 4)(bearer(token))).toMatchObject({ userId: 'alice' })
    // Against the real clock it expired long ago.
    await expectRefused(authenticate(bearer(token)), REASON.expired)
  })

  it('"The token signature is invalid" for another secret, or a tampered payload', async () => {
    await expectRefused(authenticate(bearer(await hsToken({ sub: 'alice' }, { secret: OTHER_SECRET }))), REASON.signature)
    const [header, , signature] = (await hsToken({ sub: 'alice' })).split('.')
    const forgedPayload = b64url({ sub: 'admin', exp: nowS() + 600 })
    await expectRefused(authenticate(bearer(`${header}.${forgedPayload}.${signature}`)), REASON.signature)
    await expectRefused(authenticate(bearer(`${header}.${forgedPayload}.`)), REASON.signature)
    await expectRefused(authenticate(bearer('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.AAAA')), REASON.signature)
  })

  it('issuer and audience when configured: "…issuer is not accepted", "…audience is not accepted", also when absent', async () => {
    const scoped = bearerJwt({ secret: SECRET, issuer: 'https://auth.example.com', audience: ['calltoken', 'api'] })
    const good = await hsToken({ sub: 'alice' }, { issuer: 'https://auth.example.com', audience: 'api' })
    expect(await scoped(bearer(good))).toMatchObject({ userId: 'alice' })
    await expectRefused(scoped(bearer(await hsToken({ sub: 'alice' }, { issuer: 'https://evil.example.com', audience: 'api' }))), REASON.issuer)
    await expectRefused(scoped(bearer(await hsToken({ sub: 'alice' }, { issuer: 'https://auth.example.com', audience: 'other' }))), REASON.audience)
    await expectRefused(scoped(bearer(await hsToken({ sub: 'alice' }, { audience: 'api' }))), REASON.issuer) // no iss at all
    await expectRefused(scoped(bearer(await hsToken({ sub: 'alice' }, { issuer: 'https://auth.example.com' }))), REASON.audience) // no aud at all
    // Without them, a secret's tokens of any issuer and audience pass; `false` says the same.
    expect(await authenticate(bearer(await hsToken({ sub: 'alice' }, { issuer: 'https://evil.example.com', audience: 'x' })))).toMatchObject({ userId: 'alice' })
    const optedOut = bearerJwt({ secret: SECRET, issuer: false, audience: false })
    expect(await optedOut(bearer(await hsToken({ sub: 'alice' }, { issuer: 'x', audience: 'y' })))).toMatchObject({ userId: 'alice' })
  })

  it('"The token algorithm is not accepted" for alg none, and for a public-key alg against a secret', async () => {
    const unsecured = new UnsecuredJWT({ sub: 'admin', roles: ['admin'] }).setIssuedAt().setExpirationTime('10m').encode()
    expect(unsecured.endsWith('.')).toBe(true)
    await expectRefused(authenticate(bearer(unsecured)), REASON.algorithm)
    // Also a hand-made one claiming "alg":"none" with a signature part, and one signed with the secret.
    const none = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'admin', exp: nowS() + 600 })}.x`
    await expectRefused(authenticate(bearer(none)), REASON.algorithm)
    await expectRefused(authenticate(bearer(rawHs256({ alg: 'None' }, { sub: 'admin', exp: nowS() + 600 }))), REASON.algorithm)
    // A real RS256 token, and an RS256 header over an HMAC signature (the key-confusion attack).
    const { privateKey } = await generateKeyPair('RS256')
    const rs256 = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'RS256' }).setExpirationTime('5m').sign(privateKey)
    await expectRefused(authenticate(bearer(rs256)), REASON.algorithm)
    await expectRefused(authenticate(bearer(rawHs256({ alg: 'RS256' }, { sub: 'admin', exp: nowS() + 600 }))), REASON.algorithm)
  })

  it('only HS256 by default: an HS384 token with the right secret is refused unless algorithms allows it', async () => {
    const hs384 = await hsToken({ sub: 'alice' }, { alg: 'HS384' })
    await expectRefused(authenticate(bearer(hs384)), REASON.algorithm)
    expect(await bearerJwt({ secret: SECRET, algorithms: ['HS384'] })(bearer(hs384))).toMatchObject({ userId: 'alice' })
    await expectRefused(bearerJwt({ secret: SECRET, algorithms: ['HS384'] })(bearer(await hsToken({ sub: 'alice' }))), REASON.algorithm)
    const all = bearerJwt({ secret: SECRET, algorithms: ['HS256', 'HS384', 'HS512'] })
    expect(await all(bearer(await hsToken({ sub: 'alice' }, { alg: 'HS512' })))).toMatchObject({ userId: 'alice' })
  })

  it('"The token is malformed" for forged contents, even correctly signed: never a 500', async () => {
    const exp = nowS() + 600
    const claims = { sub: 'admin', exp }
    const forged: Array<[string, string]> = [
      ['header not JSON', rawHs256('{"alg":"HS256"', claims)],
      ['header an array', rawHs256('["HS256"]', claims)],
      ['header a string', rawHs256('"HS256"', claims)],
      ['header null', rawHs256('null', claims)],
      ['header not UTF-8', `${Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64url')}.${b64url(claims)}.AAAA`],
      ['no alg', rawHs256({ typ: 'JWT' }, claims)],
      ['alg not a string', rawHs256({ alg: ['HS256'] }, claims)],
      ['alg empty', rawHs256({ alg: '' }, claims)],
      ['kid not a string', rawHs256({ alg: 'HS256', kid: { $ne: null } }, claims)],
      ['crit', rawHs256({ alg: 'HS256', crit: ['exp'] }, claims)],
      ['crit of an unknown extension', rawHs256({ alg: 'HS256', crit: ['urn:x'], 'urn:x': 1 }, claims)],
      ['b64: false', rawHs256({ alg: 'HS256', b64: false, crit: ['b64'] }, JSON.stringify(claims))],
      ['b64: false without crit', rawHs256({ alg: 'HS256', b64: false }, claims)],
      ['payload not JSON', rawHs256({ alg: 'HS256' }, '{"sub":"admin",')],
      ['payload an array', rawHs256({ alg: 'HS256' }, [claims])],
      ['payload a number', rawHs256({ alg: 'HS256' }, '42')],
      ['exp a string', rawHs256({ alg: 'HS256' }, { sub: 'admin', exp: 'tomorrow' })],
      ['nbf a string', rawHs256({ alg: 'HS256' }, { ...claims, nbf: 'now' })],
      ['iat a string', rawHs256({ alg: 'HS256' }, { ...claims, iat: 'now' })],
      ['junk base64', `${b64url({ alg: 'HS256' })}.!!!!.AAAA`],
      ['junk base64 header', `%%%.${b64url(claims)}.AAAA`],
      ['base64 (not url) header', `${Buffer.from('{"alg":"HS256","x":"??>"}').toString('base64')}.${b64url(claims)}.AAAA`],
      ['empty header', `.${b64url(claims)}.AAAA`],
      ['empty payload', `${b64url({ alg: 'HS256' })}..AAAA`],
      ['a JWE (5 parts)', `${b64url({ alg: 'dir', enc: 'A256GCM' })}..${'A'.repeat(16)}.${'A'.repeat(22)}.${'A'.repeat(22)}`],
      ['a huge header', rawHs256({ alg: 'HS256', pad: 'x'.repeat(20_000) }, claims)],
      ['a huge token', 'A'.repeat(100_000)],
    ]
    for (const [name, token] of forged) {
      const refused = await expectRefused(authenticate(bearer(token)), REASON.malformed).catch((error: unknown) => {
        throw new Error(`${name}: ${String(error)}`)
      })
      expect(refused.message).not.toContain(token.slice(0, 20))
    }
    // A deep or wide header that still fits: refused for its alg, nothing thrown from JSON.
    const deep = `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`
    await expectRefused(authenticate(bearer(rawHs256(deep, claims))), REASON.malformed)
  })

  it('reads the first value when the header is an array', async () => {
    const token = await hsToken({ sub: 'alice' })
    expect(await authenticate({ headers: { authorization: [`Bearer ${token}`, 'Bearer nope'] } })).toMatchObject({ userId: 'alice' })
  })

  it('logs one warn line per refusal with the reason, never the token; nothing for a request without a token', async () => {
    const { lines, logger } = recordingLogger()
    const logged = bearerJwt({ secret: SECRET, logger })
    const expired = await hsToken({ sub: 'alice' }, { expiresIn: -60 })
    await expectRefused(logged(bearer(expired)), REASON.expired)
    expect(lines).toEqual([{ level: 'warn', details: { reason: REASON.expired }, message: expect.stringContaining(REASON.expired) }])
    await expectRefused(logged(bearer(await hsToken({ sub: 'alice' }, { secret: OTHER_SECRET }))), REASON.signature)
    await expectRefused(logged(withAuthorization('Bearer "x"')), REASON.malformed)
    await expectRefused(logged(bearer(rawHs256({ alg: 'HS256', crit: ['x'] }, { sub: 'a', exp: nowS() + 60 }))), REASON.malformed)
    expect(lines.map((line) => [line.level, line.details.reason])).toEqual([
      ['warn', REASON.expired],
      ['warn', REASON.signature],
      ['warn', REASON.malformed],
      ['warn', REASON.malformed],
    ])
    for (const line of lines) {
      const text = JSON.stringify(line)
      for (const part of expired.split('.')) expect(text).not.toContain(part)
    }
    expect(await logged(withAuthorization())).toBeNull()
    expect(await logged(withAuthorization('Basic dXNlcjpwYXNz'))).toBeNull()
    expect(await logged(bearer(await hsToken({ sub: 'alice' })))).toMatchObject({ userId: 'alice' })
    expect(lines).toHaveLength(4)
  })

  it('logs a refusal at error when the logger has no warn', async () => {
    const { lines, logger } = recordingLogger(false)
    await expectRefused(bearerJwt({ secret: SECRET, logger })(bearer(await hsToken({ sub: '' }))), REASON.noUser)
    expect(lines).toEqual([{ level: 'error', details: { reason: REASON.noUser }, message: expect.any(String) }])
  })

  it('refuses a bad configuration with ERR_CALLTOKEN_INVALID_CONFIG', () => {
    configErrorOf({})
    configErrorOf(undefined as unknown as BearerJwtOptions)
    configErrorOf({ secret: SECRET, jwksUrl: 'https://auth.example.com/.well-known/jwks.json' })
    configErrorOf({ secret: 'too-short' })
    configErrorOf({ secret: '' })
    configErrorOf({ secret: `   ${'x'.repeat(10)}        ` }) // 21 characters, 10 once trimmed
    configErrorOf({ secret: 12345678901234567890 as unknown as string })
    expect(() => bearerJwt({ secret: 'x'.repeat(16) })).not.toThrow()
  })

  it('refuses algorithms that are not HMAC ones with a secret, empty, none, mixed or unknown', () => {
    for (const algorithms of [['RS256'], ['HS256', 'RS256'], [], ['none'], ['HS256', 'none'], ['hs256'], ['HS1'], ['ML-DSA-44'], [256]]) {
      const error = configErrorOf({ secret: SECRET, algorithms: algorithms as string[] })
      expect(error.message).toContain('algorithms')
    }
    configErrorOf({ secret: SECRET, algorithms: 'HS256' as unknown as string[] })
  })

  it('refuses bad claim names, tolerance, timeout, clock, logger, issuer and audience', () => {
    const cases: Array<[Partial<BearerJwtOptions>, string]> = [
      [{ userIdClaim: '' }, 'userIdClaim'],
      [{ userIdClaim: 7 as unknown as string }, 'userIdClaim'],
      [{ rolesClaim: '' }, 'rolesClaim'],
      [{ clockToleranceSeconds: -1 }, 'clockToleranceSeconds'],
      [{ clockToleranceSeconds: Number.NaN }, 'clockToleranceSeconds'],
      [{ clockToleranceSeconds: Number.POSITIVE_INFINITY }, 'clockToleranceSeconds'],
      [{ clockToleranceSeconds: '5' as unknown as number }, 'clockToleranceSeconds'],
      [{ jwksTimeoutMs: 0 }, 'jwksTimeoutMs'],
      [{ jwksTimeoutMs: -5 }, 'jwksTimeoutMs'],
      [{ jwksTimeoutMs: Number.POSITIVE_INFINITY }, 'jwksTimeoutMs'],
      [{ now: 5 as unknown as () => number }, 'now'],
      [{ logger: {} as unknown as NonNullable<BearerJwtOptions['logger']> }, 'logger'],
      [{ issuer: '' }, 'issuer'],
      [{ issuer: [] }, 'issuer'],
      [{ issuer: ['ok', ''] }, 'issuer'],
      [{ issuer: true as unknown as string }, 'issuer'],
      [{ audience: '' }, 'audience'],
      [{ audience: [7] as unknown as string[] }, 'audience'],
    ]
    for (const [options, name] of cases) expect(configErrorOf({ secret: SECRET, ...options }).message).toContain(`\`${name}\``)
    expect(() => bearerJwt({ secret: SECRET, clockToleranceSeconds: 0, jwksTimeoutMs: 1, userIdClaim: 'uid', rolesClaim: 'r' })).not.toThrow()
  })

  it('a now() that returns no number is a configuration error, not a refusal', async () => {
    const broken = bearerJwt({ secret: SECRET, now: () => Number.NaN })
    await expect(broken(bearer(await hsToken({ sub: 'alice' })))).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' })
    // …and only when a token is there to check.
    expect(await broken(withAuthorization())).toBeNull()
  })

  it('keeps the Bearer challenge on the function', () => {
    expect(authenticate.challenge).toBe('Bearer')
  })
})

describe('bearerJwt with jwksUrl', () => {
  const ISSUER = 'https://idp.example.com'
  const AUDIENCE = 'calltoken'
  let server: Server
  let jwksUrl: string
  let evilJwksUrl: string
  let requests = 0
  let rsaPrivate: CryptoKey
  let ecPrivate: CryptoKey
  let edPrivate: CryptoKey
  let strangerPrivate: CryptoKey
  let duplicatePrivate: CryptoKey
  let weakPrivatePem: string

  beforeAll(async () => {
    const rsa = await generateKeyPair('RS256')
    const ec = await generateKeyPair('ES256')
    const ed = await generateKeyPair('EdDSA')
    const stranger = await generateKeyPair('RS256')
    const duplicate = await generateKeyPair('RS256')
    rsaPrivate = rsa.privateKey
    ecPrivate = ec.privateKey
    edPrivate = ed.privateKey
    strangerPrivate = stranger.privateKey
    duplicatePrivate = duplicate.privateKey
    // A 1024-bit RSA key jose refuses to verify with: the IdP's misconfiguration, still never a 500.
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 })
    weakPrivatePem = weak.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
    const keys: JWK[] = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      { ...(await exportJWK(ed.publicKey)), kid: 'ed-1', alg: 'EdDSA', use: 'sig' },
      // Two keys under one kid (a rotation gone wrong): each is tried.
      { ...(await exportJWK(stranger.publicKey)), kid: 'dup', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(duplicate.publicKey)), kid: 'dup', alg: 'RS256', use: 'sig' },
      { ...(weak.publicKey.export({ format: 'jwk' }) as JWK), kid: 'weak', alg: 'RS256', use: 'sig' },
    ]
    const evilKeys: JWK[] = [{ ...(await exportJWK(stranger.publicKey)), kid: 'rsa-1', alg: 'RS256' }]
    ;({ server, url: jwksUrl } = await listen((req, res) => {
      requests++
      if (req.url === '/evil.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: evilKeys }))
        return
      }
      if (req.url !== '/.well-known/jwks.json') {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }))
    }))
    evilJwksUrl = new URL('/evil.json', jwksUrl).href
  })

  afterAll(() => close(server))

  const sign = (key: CryptoKey, alg: string, kid: string | undefined, payload: JWTPayload = { sub: 'idp|alice', roles: ['member'] }) =>
    new SignJWT(payload)
      .setProtectedHeader(kid === undefined ? { alg } : { alg, kid })
      .setIssuedAt()
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(key)
  const strict = (options: Partial<BearerJwtOptions> = {}) => bearerJwt({ jwksUrl, issuer: ISSUER, audience: AUDIENCE, ...options })

  it('verifies RS256, ES256 and EdDSA tokens against the served key set', async () => {
    const authenticate = strict()
    expect(await authenticate(bearer(await sign(rsaPrivate, 'RS256', 'rsa-1')))).toEqual({ userId: 'idp|alice', roles: ['member'] })
    expect(await authenticate(bearer(await sign(ecPrivate, 'ES256', 'ec-1', { sub: 'bob' })))).toEqual({ userId: 'bob', roles: [] })
    expect(await authenticate(bearer(await sign(edPrivate, 'EdDSA', 'ed-1', { sub: 'carol' })))).toEqual({ userId: 'carol', roles: [] })
    expect(requests).toBeGreaterThan(0) // the keys really came over HTTP
  })

  it('accepts a URL object', async () => {
    const authenticate = bearerJwt({ jwksUrl: new URL(jwksUrl), issuer: ISSUER, audience: AUDIENCE })
    expect(await authenticate(bearer(await sign(rsaPrivate, 'RS256', 'rsa-1')))).toMatchObject({ userId: 'idp|alice' })
  })

  it('tries every key when several match: a duplicated kid, or a token without one', async () => {
    const authenticate = strict()
    expect(await authenticate(bearer(await sign(duplicatePrivate, 'RS256', 'dup')))).toMatchObject({ userId: 'idp|alice' })
    expect(await authenticate(bearer(await sign(rsaPrivate, 'RS256', undefined)))).toMatchObject({ userId: 'idp|alice' })
    await expectRefused(authenticate(bearer(await sign(ecPrivate, 'ES256', 'dup'))), REASON.signature) // no ES256 key named dup
  })

  it('"The token signature is invalid" for a key outside the set, whether its kid is unknown or borrowed', async () => {
    const authenticate = strict()
    await expectRefused(authenticate(bearer(await sign(strangerPrivate, 'RS256', 'rsa-1'))), REASON.signature)
    await expectRefused(authenticate(bearer(await sign(strangerPrivate, 'RS256', 'unknown-kid'))), REASON.signature)
    await expectRefused(authenticate(bearer(await sign(rsaPrivate, 'RS256', 'ec-1'))), REASON.signature) // kid of a key of another type
  })

  it('never fetches keys from a URL in the token header (jku, x5u, jwk)', async () => {
    const authenticate = strict()
    const header = { alg: 'RS256', kid: 'rsa-1', jku: evilJwksUrl, x5u: evilJwksUrl, jwk: { kty: 'RSA' } }
    const forged = await new SignJWT({ sub: 'admin' }).setProtectedHeader(header).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').sign(strangerPrivate)
    await expectRefused(authenticate(bearer(forged)), REASON.signature)
  })

  it('"The token algorithm is not accepted" for an HS256 token (no key confusion with the public keys) and for alg: none', async () => {
    const authenticate = strict()
    await expectRefused(authenticate(bearer(await hsToken({ sub: 'alice' }, { issuer: ISSUER, audience: AUDIENCE }))), REASON.algorithm)
    // An HMAC "signed" with a public key's JWK, naming that key's kid.
    const claims = { sub: 'admin', iss: ISSUER, aud: AUDIENCE, exp: nowS() + 600 }
    await expectRefused(authenticate(bearer(rawHs256({ alg: 'HS256', kid: 'rsa-1' }, claims))), REASON.algorithm)
    const unsecured = new UnsecuredJWT({ sub: 'admin' }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('10m').encode()
    await expectRefused(authenticate(bearer(unsecured)), REASON.algorithm)
  })

  it('algorithms restricts the accepted ones', async () => {
    const rsOnly = strict({ algorithms: ['RS256'] })
    expect(await rsOnly(bearer(await sign(rsaPrivate, 'RS256', 'rsa-1')))).toMatchObject({ userId: 'idp|alice' })
    await expectRefused(rsOnly(bearer(await sign(ecPrivate, 'ES256', 'ec-1'))), REASON.algorithm)
  })

  it('issuer and audience are checked; false opts out of each', async () => {
    const other = (payload: JWTPayload, issuer: string, audience: string) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).setIssuer(issuer).setAudience(audience).setExpirationTime('5m').sign(rsaPrivate)
    const otherApp = await other({ sub: 'alice' }, ISSUER, 'another-app')
    const otherTenant = await other({ sub: 'alice' }, 'https://tenant-2.idp.example.com', AUDIENCE)
    await expectRefused(strict()(bearer(otherApp)), REASON.audience)
    await expectRefused(strict()(bearer(otherTenant)), REASON.issuer)
    await expectRefused(strict({ issuer: [ISSUER, 'https://b.example.com'] })(bearer(otherTenant)), REASON.issuer)
    expect(await strict({ audience: false })(bearer(otherApp))).toMatchObject({ userId: 'alice' })
    expect(await strict({ issuer: false })(bearer(otherTenant))).toMatchObject({ userId: 'alice' })
    await expectRefused(strict({ issuer: false })(bearer(otherApp)), REASON.audience)
  })

  it('the time and claim rules hold for JWKS tokens too', async () => {
    const authenticate = strict()
    const base = () => new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'ES256', kid: 'ec-1' }).setIssuer(ISSUER).setAudience(AUDIENCE)
    await expectRefused(authenticate(bearer(await base().setExpirationTime(nowS() - 60).sign(ecPrivate))), REASON.expired)
    await expectRefused(authenticate(bearer(await base().sign(ecPrivate))), REASON.noExpiry)
    await expectRefused(authenticate(bearer(await base().setExpirationTime('1h').setNotBefore('10m').sign(ecPrivate))), REASON.notYetValid)
    await expectRefused(authenticate(bearer(await base().setExpirationTime('1h').setIssuedAt('10m').sign(ecPrivate))), REASON.notYetValid)
    const noSub = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'ec-1' }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').sign(ecPrivate)
    await expectRefused(authenticate(bearer(noSub)), REASON.noUser)
  })

  it('forged headers against a JWKS are 401s, never anything else', async () => {
    const authenticate = strict()
    const claims = b64url({ sub: 'admin', iss: ISSUER, aud: AUDIENCE, exp: nowS() + 600 })
    const cases: Array<[object | string, Reason]> = [
      [{ alg: 'RS256', kid: 'rsa-1', crit: ['exp'] }, REASON.malformed],
      [{ alg: 'RS256', kid: 'rsa-1', b64: false, crit: ['b64'] }, REASON.malformed],
      [{ alg: 'RS256', kid: 7 }, REASON.malformed],
      [{ alg: 'RS256', kid: ['rsa-1', 'ec-1'] }, REASON.malformed],
      [{ alg: 'RSA-OAEP', enc: 'A256GCM' }, REASON.algorithm],
      [{ alg: 'ML-DSA-44' }, REASON.algorithm],
      [{ alg: 'RS256', kid: 'rsa-1' }, REASON.signature], // well-formed, bad signature
      [{ alg: 'ES256', kid: 'ec-1' }, REASON.signature],
      [{ alg: 'RS256', kid: 'x'.repeat(10_000) }, REASON.signature],
      [{ alg: 'RS256', kid: '__proto__' }, REASON.signature],
      ['{"alg":"RS256","kid":"rsa-1","__proto__":{"alg":"HS256"}}', REASON.signature],
      ['{"alg":"RS256","alg":"none"}', REASON.algorithm], // the last duplicate wins, as in jose
      ['[]', REASON.malformed],
      ['{', REASON.malformed],
    ]
    for (const [header, reason] of cases) {
      const token = `${b64url(header)}.${claims}.${'A'.repeat(342)}`
      await expectRefused(authenticate(bearer(token)), reason).catch((error: unknown) => {
        throw new Error(`${JSON.stringify(header).slice(0, 80)}: ${String(error)}`)
      })
    }
    for (const token of [`${b64url({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.AAAA.AAAA.AAAA.AAAA`, 'A'.repeat(100_000), `${b64url({ alg: 'RS256' })}.${claims}.@@`]) {
      await expectRefused(authenticate(bearer(token)), REASON.malformed)
    }
  })

  it('a key of the set that jose will not use (RSA under 2048 bits) refuses the token, logged at error, never a 500', async () => {
    const { lines, logger } = recordingLogger()
    const authenticate = strict({ logger })
    const input = `${b64url({ alg: 'RS256', kid: 'weak' })}.${b64url({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, exp: nowS() + 600 })}`
    const token = `${input}.${nodeSign('sha256', Buffer.from(input), weakPrivatePem).toString('base64url')}`
    await expectRefused(authenticate(bearer(token)), REASON.malformed)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: 'error', details: { reason: REASON.malformed, cause: expect.stringContaining('2048') } })
    expect(JSON.stringify(lines)).not.toContain(token.split('.')[2]!.slice(0, 40))
  })

  it('requires issuer and audience at creation, naming the missing one, unless opted out with false', () => {
    expect(configErrorOf({ jwksUrl }).message).toContain('`issuer`')
    expect(configErrorOf({ jwksUrl, audience: AUDIENCE }).message).toContain('`issuer`')
    expect(configErrorOf({ jwksUrl, issuer: ISSUER }).message).toContain('`audience`')
    expect(configErrorOf({ jwksUrl, issuer: undefined, audience: AUDIENCE }).message).toContain('`issuer`')
    expect(configErrorOf({ jwksUrl, issuer: false }).message).toContain('`audience`')
    expect(configErrorOf({ jwksUrl, issuer: '', audience: AUDIENCE }).message).toContain('`issuer`')
    expect(configErrorOf({ jwksUrl, issuer: ISSUER, audience: [] }).message).toContain('`audience`')
    expect(() => bearerJwt({ jwksUrl, issuer: false, audience: false })).not.toThrow()
    expect(() => bearerJwt({ jwksUrl, issuer: ISSUER, audience: false })).not.toThrow()
  })

  it('only public-key algorithms with a JWKS, and a usable URL', () => {
    const base = { jwksUrl, issuer: ISSUER, audience: AUDIENCE }
    for (const algorithms of [['HS256'], ['RS256', 'HS256'], [], ['none'], ['RS256', 'none'], ['rs256'], ['RSA-OAEP'], ['ML-DSA-65']]) {
      expect(configErrorOf({ ...base, algorithms }).message).toContain('algorithms')
    }
    expect(() => bearerJwt({ ...base, algorithms: ['RS256', 'PS256', 'ES384', 'EdDSA', 'Ed25519'] })).not.toThrow()
    for (const url of ['not a url', '/relative/jwks.json', 'ftp://idp.example.com/jwks.json', 'file:///etc/jwks.json']) {
      expect(configErrorOf({ ...base, jwksUrl: url }).message).toContain('jwksUrl')
    }
    configErrorOf({ ...base, jwksUrl: 42 as unknown as string })
  })

  it('an unreachable key server is AUTH_UNAVAILABLE (503), logged at error with the cause, not a 401 nor a 500', async () => {
    const { server: dead, url } = await listen(() => undefined)
    await close(dead)
    const { lines, logger } = recordingLogger()
    const authenticate = bearerJwt({ jwksUrl: url, issuer: ISSUER, audience: AUDIENCE, logger })
    const token = await sign(rsaPrivate, 'RS256', 'rsa-1')
    await expectUnavailable(authenticate(bearer(token)))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: 'error', details: { cause: expect.stringMatching(/ECONNREFUSED|fetch failed/) } })
    for (const part of token.split('.')) expect(JSON.stringify(lines)).not.toContain(part)
    // Still no fetch for a request without a token, and a malformed token is refused without the keys.
    expect(await authenticate(withAuthorization())).toBeNull()
    await expectRefused(authenticate(bearer('a.b.c')), REASON.malformed)
  })

  it('a non-200, invalid JSON, a body that is no key set, an empty key set: all AUTH_UNAVAILABLE', async () => {
    const answers: Record<string, (res: ServerResponse) => void> = {
      '/500': (res) => res.writeHead(500).end('oops'),
      '/302': (res) => res.writeHead(302, { location: jwksUrl }).end(),
      '/html': (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>'),
      '/not-a-set': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"issuer":"x"}'),
      '/bad-keys': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[42]}'),
      '/empty': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}'),
    }
    const { server: broken, url } = await listen((req, res) => answers[req.url!]!(res))
    try {
      const token = await sign(rsaPrivate, 'RS256', 'rsa-1')
      for (const path of Object.keys(answers)) {
        const authenticate = bearerJwt({ jwksUrl: new URL(path, url), issuer: ISSUER, audience: AUDIENCE })
        await expectUnavailable(authenticate(bearer(token))).catch((error: unknown) => {
          throw new Error(`${path}: ${String(error)}`)
        })
      }
    } finally {
      await close(broken)
    }
  })

  it('a key server that never answers is AUTH_UNAVAILABLE within jwksTimeoutMs, not a hang', async () => {
    const { server: silent, url } = await listen(() => undefined) // accepts, reads, never answers
    try {
      const authenticate = bearerJwt({ jwksUrl: url, issuer: ISSUER, audience: AUDIENCE, jwksTimeoutMs: 300 })
      const started = Date.now()
      await expectUnavailable(authenticate(bearer(await sign(rsaPrivate, 'RS256', 'rsa-1'))))
      expect(Date.now() - started).toBeLessThan(2000)
    } finally {
      await close(silent)
    }
  })

  it('a key server that sends headers then stalls the body is bounded too', async () => {
    const { server: stalling, url } = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"keys":[')
    })
    try {
      const authenticate = bearerJwt({ jwksUrl: url, issuer: ISSUER, audience: AUDIENCE, jwksTimeoutMs: 300 })
      const started = Date.now()
      await expectUnavailable(authenticate(bearer(await sign(rsaPrivate, 'RS256', 'rsa-1'))))
      expect(Date.now() - started).toBeLessThan(2000)
    } finally {
      await close(stalling)
    }
  })

  it('a failed fetch is not cached: once the key server is back, the next request verifies', async () => {
    let up = false
    const realKeys = await (await fetch(jwksUrl)).text()
    const { server: flaky, url } = await listen((_req, res) => {
      if (up) res.writeHead(200, { 'content-type': 'application/json' }).end(realKeys)
      else res.writeHead(503).end()
    })
    try {
      const authenticate = bearerJwt({ jwksUrl: url, issuer: ISSUER, audience: AUDIENCE })
      const token = await sign(rsaPrivate, 'RS256', 'rsa-1')
      await expectUnavailable(authenticate(bearer(token)))
      await expectUnavailable(authenticate(bearer(token)))
      up = true
      expect(await authenticate(bearer(token))).toMatchObject({ userId: 'idp|alice' })
    } finally {
      await close(flaky)
    }
  })
})
