// The Worker in workerd, without nodejs_compat, over HTTP: one miniflare instance per configuration (PROVIDER and
// the session settings switched per instance), each token re-checked in Node by the provider's official tools.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CALL_ID, CREDENTIALS, ROLE, USER_ID } from '../../../runtimes/src/credentials.mjs'
import type { ProviderName } from '../src/config'
import { signSessionJwt } from '../src/scripts/session-jwt'
import { get, post, recheck, sessionSecret, workerEnv } from './support/http'
import { devVarsExample, startWorkers, wranglerConfig, type RunningWorkers } from './support/workerd'

const PROVIDERS: readonly ProviderName[] = ['stream', 'agora', 'twilio', 'livekit', 'zoom', 'daily']
const SECRET = sessionSecret()
const LIMIT = 3

let workers: RunningWorkers
beforeAll(async () => {
  workers = await startWorkers({
    stream: workerEnv('stream', { SESSION_JWT_SECRET: SECRET }),
    agora: workerEnv('agora', { SESSION_JWT_SECRET: SECRET }),
    twilio: workerEnv('twilio', { SESSION_JWT_SECRET: SECRET }),
    livekit: workerEnv('livekit', { SESSION_JWT_SECRET: SECRET }),
    zoom: workerEnv('zoom', { SESSION_JWT_SECRET: SECRET }),
    daily: workerEnv('daily', { SESSION_JWT_SECRET: SECRET }),
    limited: workerEnv('stream', { SESSION_JWT_SECRET: SECRET, RATE_LIMIT_MAX: String(LIMIT) }),
  })
})
afterAll(() => workers?.stop())

const session = (roles: readonly string[] = [ROLE], expiresInSeconds = 600) => signSessionJwt(SECRET, { userId: USER_ID, roles, expiresInSeconds })

describe('the deployment', () => {
  it('wrangler.jsonc: a 2025 compatibility date, no nodejs_compat, the Worker as main', () => {
    const config = wranglerConfig()
    expect(config.main).toBe('src/worker.ts')
    expect(config.compatibility_date).toMatch(/^2025-\d\d-\d\d$/)
    expect(config.compatibility_flags ?? []).toEqual([])
    expect(config.vars?.PROVIDER).toBe('stream')
  })

  it('is bundled from the built packages with their Web Crypto and plain-JavaScript backends only', () => {
    const calltoken = workers.bundle.inputs.filter((file) => file.startsWith('packages/'))
    for (const name of ['fetch', 'core', 'stream', 'agora', 'twilio', 'livekit', 'zoom', 'daily']) expect(calltoken.some((file) => file.startsWith(`packages/${name}/dist/`)), name).toBe(true)
    expect(calltoken.filter((file) => !/^packages\/[^/]+\/dist\//.test(file))).toEqual([])
    expect(calltoken).toContain('packages/core/dist/crypto/web.js')
    expect(calltoken).toContain('packages/agora/dist/zlib/web.js')
    expect(calltoken.filter((file) => /\/node\.c?js$/.test(file))).toEqual([])
  })

  it('.dev.vars.example holds the documented demo credentials, the ones the re-check verifies with', () => {
    const vars = devVarsExample()
    expect(vars).toMatchObject({
      PROVIDER: 'stream',
      STREAM_API_KEY: CREDENTIALS.stream.apiKey,
      STREAM_API_SECRET: CREDENTIALS.stream.apiSecret,
      AGORA_APP_ID: CREDENTIALS.agora.appId,
      AGORA_APP_CERTIFICATE: CREDENTIALS.agora.appCertificate,
      TWILIO_ACCOUNT_SID: CREDENTIALS.twilio.accountSid,
      TWILIO_API_KEY_SID: CREDENTIALS.twilio.apiKeySid,
      TWILIO_API_KEY_SECRET: CREDENTIALS.twilio.apiKeySecret,
      LIVEKIT_API_KEY: CREDENTIALS.livekit.apiKey,
      LIVEKIT_API_SECRET: CREDENTIALS.livekit.apiSecret,
      ZOOM_VIDEO_SDK_KEY: CREDENTIALS.zoom.sdkKey,
      ZOOM_VIDEO_SDK_SECRET: CREDENTIALS.zoom.sdkSecret,
      DAILY_API_KEY: CREDENTIALS.daily.apiKey,
      DAILY_DOMAIN_ID: CREDENTIALS.daily.domainId,
    })
    expect(vars.SESSION_JWT_SECRET).toBeUndefined() // made by the reader, never shared
  })
})

describe.each(PROVIDERS)('PROVIDER=%s', (provider) => {
  it('GET /health: 200 with the provider, no-store', async () => {
    const health = await get(workers.url(provider, '/health'))
    expect({ status: health.status, body: health.body }).toEqual({ status: 200, body: { status: 'ok', provider } })
    expect(health.headers.get('cache-control')).toBe('no-store')
  })

  it('a call token with the role from the session JWT, verified by the official tools', async () => {
    const answer = await post(workers.url(provider, '/api/tokens/call'), { token: await session(), body: { callId: CALL_ID, role: ROLE } })
    expect(answer.status, answer.text).toBe(200)
    expect(answer.headers.get('cache-control')).toBe('no-store')
    expect(answer.body).toMatchObject({ success: true, data: { userId: USER_ID, callId: CALL_ID, role: ROLE, validityInSeconds: 3600 } })
    await recheck(provider, 'call', answer.body.data)
  })

  it('a user token, verified by the official tools, and a refresh of it', async () => {
    const token = await session()
    // Zoom's and Daily's tokens are always for one call: their user tokens name it.
    const body = provider === 'zoom' || provider === 'daily' ? { callId: CALL_ID } : undefined
    const answer = await post(workers.url(provider, '/api/tokens/user'), { token, ...(body ? { body } : {}) })
    expect(answer.status, answer.text).toBe(200)
    expect(answer.body.data).toMatchObject({ userId: USER_ID, validityInSeconds: 3600 })
    await recheck(provider, 'user', answer.body.data)
    const refreshed = await post(workers.url(provider, '/api/tokens/refresh'), { token, body: { refreshToken: answer.body.data.refreshToken } })
    expect(refreshed.status, refreshed.text).toBe(200)
    await recheck(provider, 'user', refreshed.body.data)
  })

  it('a role the session JWT does not grant: 403 ROLE_NOT_ALLOWED', async () => {
    const answer = await post(workers.url(provider, '/api/tokens/call'), { token: await session([]), body: { callId: CALL_ID, role: 'moderator' } })
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 403, code: 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED' })
  })
})

describe('authentication', () => {
  const url = () => workers.url('stream', '/api/tokens/user')

  it('no Authorization: 401 UNAUTHENTICATED with the bare Bearer challenge', async () => {
    const answer = await post(url())
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 401,
      body: { success: false, error: 'Authentication required', code: 'ERR_CALLTOKEN_UNAUTHENTICATED' },
    })
    expect(answer.headers.get('www-authenticate')).toBe('Bearer')
  })

  it.each([
    ['expired', () => signSessionJwt(SECRET, { userId: USER_ID, expiresInSeconds: -60 }), 'The token expired'],
    ['signed with another secret', () => signSessionJwt(sessionSecret(), { userId: USER_ID }), 'The token signature is invalid'],
    ['not a JWT', async () => 'not-a-jwt', 'The token is malformed'],
  ])('a session JWT %s: 401 with the RFC 6750 invalid_token challenge', async (_name, token, reason) => {
    const answer = await post(url(), { token: await token() })
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 401, code: 'ERR_CALLTOKEN_UNAUTHENTICATED' })
    expect(answer.headers.get('www-authenticate')).toBe(`Bearer error="invalid_token", error_description="${reason}"`)
  })

  it('anything but the token routes and /health: 404 in the same envelope', async () => {
    const answer = await get(workers.url('stream', '/api/tokens/user'))
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 404, code: 'ERR_CALLTOKEN_NOT_FOUND' })
  })
})

describe('rate limit (memory store, per isolate)', () => {
  it(`per cf-connecting-ip without a valid session: ${LIMIT} answers, then 429 with Retry-After; another address is not affected`, async () => {
    const url = workers.url('limited', '/api/tokens/user')
    const statuses: number[] = []
    for (let i = 0; i < LIMIT + 1; i++) statuses.push((await post(url, { ip: '198.51.100.7' })).status)
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(401), 429])
    const limited = await post(url, { ip: '198.51.100.7', token: 'not-a-jwt' })
    expect({ status: limited.status, code: limited.body.code }).toEqual({ status: 429, code: 'ERR_CALLTOKEN_RATE_LIMITED' })
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await post(url, { ip: '198.51.100.8' })).status).toBe(401)
  })

  it('per user with a valid session', async () => {
    const url = workers.url('limited', '/api/tokens/call')
    const statuses: number[] = []
    for (let i = 0; i < LIMIT + 1; i++) statuses.push((await post(url, { token: await session(), body: { callId: CALL_ID }, ip: `203.0.113.${i}` })).status)
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(200), 429])
  })
})

describe('one handler per isolate', () => {
  it('is built on the first request and reused by every later one', async () => {
    for (let i = 0; i < 3; i++) await get(workers.url('twilio', '/health'))
    expect(workers.logs('twilio').filter((line) => line.includes('token routes ready'))).toEqual(['calltoken: token routes ready for twilio'])
  })
})
