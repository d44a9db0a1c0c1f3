import { CallTokenError, createCallToken, definePolicy, type CallTokenProvider } from '@calltoken/core'
import { defineProvider } from '@calltoken/core/provider'
import type { CallTokenRouteOptions, TokenRouteSpec } from '@calltoken/core/http'
import { afterEach, describe, expect, it } from 'vitest'
import { FIXED_NOW_S, fixedClock } from './clock'
import { describeRefresh } from './http-contract-refresh'
import { describeClientInput } from './http-contract-client-input'
import { describeRequestRules } from './http-contract-requests'
import { requestHeader } from './request-header'

export interface ContractResponse {
  readonly status: number
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: unknown
}

export interface ContractRequest {
  /** A JSON-serialisable body, or a string sent as is. */
  body?: unknown
  headers?: Record<string, string>
}

export interface ContractClient {
  post(path: string, request?: ContractRequest): Promise<ContractResponse>
  get(path: string, request?: Omit<ContractRequest, 'body'>): Promise<ContractResponse>
  close(): Promise<void>
}

/**
 * A request as the suite's header-based `authenticate` reads it: a framework's, whose `headers` is a record with
 * lower-case names (Express, Fastify), or a fetch `Request`, whose `headers` has `get(name)`.
 */
export interface ContractRequestWithHeaders {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>> | { get(name: string): string | null }
}

/** A custom token route as the suite defines it; each binding mounts it with its own route factory. */
export type ContractRoute = TokenRouteSpec<any>

/**
 * Builds an app in one framework with the token routes mounted at `prefix`, and an app-level error
 * handler that answers 500 `{ handledBy: 'framework' }`, so the suite can see errors reach it.
 */
export type MakeContractClient = (options: CallTokenRouteOptions<CallTokenProvider, any>, prefix: string) => Promise<ContractClient>

/** The same app, with one custom route (createTokenRoute / tokenRoute) mounted at `prefix` instead. */
export type MakeRouteContractClient = (options: CallTokenRouteOptions<CallTokenProvider, any>, prefix: string, route: ContractRoute) => Promise<ContractClient>

export interface HttpContractOptions {
  /**
   * The framework's name, in the suite's titles.
   */
  framework: string
  /**
   * Mounts the built-in routes with the given options under `prefix` and returns a client for them.
   */
  makeClient: MakeContractClient
  /**
   * Mounts one route of the app's own shape (createTokenRoute, tokenRoute…) under `prefix` and returns a client for it.
   */
  makeRouteClient: MakeRouteContractClient
  /** Every adapter, with test credentials; the suite runs once per provider. */
  providers: readonly CallTokenProvider[]
  /** The credentials of those providers, which must appear in no response. */
  secrets: readonly string[]
  /** Valid ids per provider id (default alice / team-meeting-123). */
  samples?: Readonly<Record<string, { userId: string; callId: string }>>
  /** Valid `extras` per provider id, for the providers that take extras (e.g. `{ livekit: { name: 'Ann' } }`). */
  extrasSamples?: Readonly<Record<string, Readonly<Record<string, unknown>>>>
}

export type Body = { success: boolean; data?: Record<string, unknown>; error?: string; code?: string; issues?: unknown[] }

/** What the contract's sections share for one provider. */
export interface ContractContext {
  readonly provider: CallTokenProvider
  readonly userId: string
  readonly callId: string
  /** Another valid user id. */
  readonly other: string
  /**
   * A /tokens/user body: `fields`, with the sample call when the provider's user tokens need one (Zoom, Daily).
   */
  userBody(fields?: Record<string, unknown>): Record<string, unknown>
  /** Whether the provider's user tokens name a call (then a "user token without a call" names the sample call). */
  readonly userTokenNeedsCall: boolean
  /** Valid extras for the provider, when it takes any. */
  readonly extras: Readonly<Record<string, unknown>> | undefined
  /** `seconds` scaled for a provider whose shortest token is longer than 10 minutes (Zoom: x3), so every validity the suite asks for is accepted. */
  validity(seconds: number): number
  open(options: Partial<CallTokenRouteOptions<CallTokenProvider, any>>, prefix?: string): Promise<ContractClient>
  readonly headerAuth: (req: ContractRequestWithHeaders) => { userId: string; roles: string[] } | null
  /** One header of a request, whichever kind (see ContractRequestWithHeaders). */
  readonly header: (req: ContractRequestWithHeaders, name: string) => string | undefined
  asUser(principalId: string, roles?: string[]): Record<string, string>
  body(response: ContractResponse): Body
  expectError(response: ContractResponse, status: number, code: string): void
  readonly makeClient: MakeContractClient
  readonly makeRouteClient: MakeRouteContractClient
}

/**
 * The HTTP contract of the token routes; each binding runs it, so the two frameworks cannot drift.
 *
 * @example
 * runHttpContract({
 *   framework: 'koa',
 *   makeClient: async (options, prefix) => clientFor(koaAppWithRoutes(options, prefix)),
 *   makeRouteClient: async (options, prefix, route) => clientFor(koaAppWithRoute(options, prefix, route)),
 *   providers: [stream({ apiKey, apiSecret })],
 *   secrets: [apiSecret],
 * })
 */
export function runHttpContract({ framework, makeClient, makeRouteClient, providers, secrets, samples = {}, extrasSamples = {} }: HttpContractOptions): void {
  for (const provider of providers) {
    const { userId, callId } = samples[provider.id] ?? { userId: 'alice', callId: 'team-meeting-123' }
    // Zoom's and Daily's tokens are always for one call: their user tokens name the sample call.
    const userTokenNeedsCall = provider.limits.userTokenNeedsCall
    const userBody = (fields: Record<string, unknown> = {}) => (userTokenNeedsCall ? { callId, ...fields } : fields)
    const scale = Math.max(1, Math.ceil(provider.limits.minValiditySeconds / 600))
    const validity = (seconds: number) => seconds * scale
    const now = fixedClock()
    const clients: ContractClient[] = []
    const open = async (options: Partial<CallTokenRouteOptions<CallTokenProvider, any>>, prefix = '/api') => {
      const client = await makeClient({ provider, now, rateLimit: false, ...options }, prefix)
      clients.push(client)
      return client
    }
    const anonymous = () => open({ allowAnonymous: true })
    const asUser = (principalId: string, roles: string[] = []) => ({ 'x-test-user': principalId, 'x-test-roles': roles.join(',') })
    // A header-based authenticate keeps the suite about the routes; bearerJwt has its own tests.
    const headerAuth = (req: ContractRequestWithHeaders) => {
      const id = requestHeader(req, 'x-test-user')
      return typeof id === 'string' ? { userId: id, roles: (requestHeader(req, 'x-test-roles') ?? '').split(',').filter(Boolean) } : null
    }
    const body = (response: ContractResponse) => response.body as Body
    const expectError = (response: ContractResponse, status: number, code: string) => {
      expect({ status: response.status, code: body(response).code, success: body(response).success }).toEqual({ status, code, success: false })
      expect(typeof body(response).error).toBe('string')
      expect(response.headers['cache-control']).toBe('no-store')
      expect(JSON.stringify(response.body)).not.toMatch(new RegExp(secrets.map(escape).join('|')))
    }

    describe(`${framework} × ${provider.id}: token routes`, () => {
      afterEach(async () => {
        await Promise.all(clients.splice(0).map((c) => c.close()))
      })

      it('refuses to start without authenticate unless allowAnonymous is set', async () => {
        await expect(makeClient({ provider }, '/api')).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' })
      })

      it('POST /tokens/call answers a call token with a role: 200, the envelope, every field, no-store, a token that verifies', async () => {
        const client = await open({ allowAnonymous: { roles: ['member', 'moderator'] } })
        const response = await client.post('/api/tokens/call', { body: { userId, callId, role: 'moderator', validityInSeconds: 7200 } })
        expect(response.status).toBe(200)
        expect(response.headers['cache-control']).toBe('no-store')
        expect(response.headers['content-type']).toMatch(/^application\/json/)
        const { data } = body(response)
        const expected = await createCallToken({ userId, callId, role: 'moderator', validityInSeconds: 7200 }, { provider, now })
        expect(body(response)).toEqual({
          success: true,
          data: {
            token: expected.token === data!.token ? expected.token : expect.any(String),
            userId,
            callId,
            ...(expected.callType ? { callType: expected.callType } : {}),
            role: 'moderator',
            validityInSeconds: 7200,
            expiresAt: new Date((FIXED_NOW_S + 7200) * 1000).toISOString(),
            refreshToken: expect.any(String),
            ...(expected.connect as object),
          },
        })
        expect(await provider.verify(data!.token as string, { now })).toMatchObject({ userId, callId, expiresAt: FIXED_NOW_S + 7200 })
      })

      it('POST /tokens/user answers a user token, with the defaults (3600 s; no role)', async () => {
        const client = await anonymous()
        const response = await client.post('/api/tokens/user', { body: userBody({ userId }) })
        expect(response.status).toBe(200)
        const { data } = body(response)
        expect(data).toMatchObject({ userId, validityInSeconds: 3600, expiresAt: new Date((FIXED_NOW_S + 3600) * 1000).toISOString() })
        expect(data).not.toHaveProperty('role')
        if (userTokenNeedsCall) expectError(await client.post('/api/tokens/user', { body: { userId } }), 422, 'ERR_CALLTOKEN_INVALID_INPUT')
        else expect(data).not.toHaveProperty('callId')
        const restricted = body(await client.post('/api/tokens/user', { body: { userId, callId, validityInSeconds: validity(600) } })).data
        expect(await provider.verify(restricted!.token as string, { now })).toMatchObject({ userId, callId })
      })

      it('422 with the exact "Validation failed: …" message when a field is missing', async () => {
        const response = await (await anonymous()).post('/api/tokens/call', { body: { userId } })
        expect(response.status).toBe(422)
        expect(response.body).toEqual({
          success: false,
          error: 'Validation failed: callId is required',
          code: 'ERR_CALLTOKEN_INVALID_INPUT',
          issues: [{ path: 'callId', message: 'callId is required' }],
        })
      })

      it('parses strictly: "60" is not 60, unknown keys are rejected, nothing is coerced', async () => {
        const client = await anonymous()
        const cases: [unknown, string][] = [
          [{ userId, callId, validityInSeconds: '60' }, 'validityInSeconds must be a number of seconds, not a string'],
          [{ userId, callId, extra: 1 }, 'extra is not a known field'],
          [{ userId: 42, callId }, 'userId must be a string'],
          [{ userId, callId: 5 }, 'callId must be a string'],
          [{ userId, callId, role: ['admin'] }, 'role must be a string'],
        ]
        for (const [input, message] of cases) {
          const response = await client.post('/api/tokens/call', { body: input })
          expectError(response, 422, 'ERR_CALLTOKEN_INVALID_INPUT')
          expect(body(response).issues).toContainEqual(expect.objectContaining({ message }))
        }
      })

      it('415 for a compressed or otherwise encoded body, whatever the encoding and whether or not the body matches it', async () => {
        const client = await anonymous()
        const plain = JSON.stringify({ userId, callId })
        for (const encoding of ['gzip', 'br', 'deflate', 'zstd', 'x-unknown', 'gzip, identity']) {
          const response = await client.post('/api/tokens/call', { body: plain, headers: { 'content-type': 'application/json', 'content-encoding': encoding } })
          expectError(response, 415, 'ERR_CALLTOKEN_UNSUPPORTED_MEDIA_TYPE')
          expect(body(response).error).toBe('Content-Encoding must be identity (or absent): send the JSON body uncompressed')
        }
        expect((await client.post('/api/tokens/call', { body: plain, headers: { 'content-type': 'application/json', 'content-encoding': 'identity' } })).status).toBe(200)
      })

      it('400 for malformed JSON, a wrong content type, and __proto__/constructor keys, which pollute nothing', async () => {
        const client = await anonymous()
        const json = { 'content-type': 'application/json' }
        const malformed = await client.post('/api/tokens/call', { body: '{"userId": "a",', headers: json })
        expectError(malformed, 400, 'ERR_CALLTOKEN_MALFORMED_BODY')
        expect(body(malformed).error).toBe('Malformed JSON body')
        const text = await client.post('/api/tokens/call', { body: JSON.stringify({ userId, callId }), headers: { 'content-type': 'text/plain' } })
        expectError(text, 415, 'ERR_CALLTOKEN_UNSUPPORTED_MEDIA_TYPE')
        expect(body(text).error).toBe('Content-Type must be application/json')
        for (const key of ['__proto__', 'constructor']) {
          const raw = `{"userId":"${userId}","callId":"${callId}","${key}":{"polluted":true,"prototype":{"polluted":true}}}`
          const response = await client.post('/api/tokens/call', { body: raw, headers: json })
          expectError(response, 400, 'ERR_CALLTOKEN_MALFORMED_BODY')
          expect(body(response).error).toMatch(/^Malformed JSON body: "(__proto__|constructor|prototype)" keys are not allowed$/)
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      })

      it('413 for a body over 16 KiB', async () => {
        const response = await (await anonymous()).post('/api/tokens/call', { body: { userId, callId, padding: 'x'.repeat(17 * 1024) } })
        expectError(response, 413, 'ERR_CALLTOKEN_BODY_TOO_LARGE')
        expect(body(response).error).toBe('Request body is larger than 16384 bytes')
      })

      it('422 VALIDITY_OUT_OF_RANGE and 403 ROLE_NOT_ALLOWED', async () => {
        const client = await anonymous()
        expectError(await client.post('/api/tokens/call', { body: { userId, callId, validityInSeconds: 90_000 } }), 422, 'ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE')
        expectError(await client.post('/api/tokens/call', { body: { userId, callId, role: 'superuser' } }), 403, 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED')
      })

      it('with authenticate: 401 without a principal; the user id comes from the principal', async () => {
        const client = await open({ authenticate: headerAuth })
        expectError(await client.post('/api/tokens/user', { body: {} }), 401, 'ERR_CALLTOKEN_UNAUTHENTICATED')
        const response = await client.post('/api/tokens/user', { body: userBody(), headers: asUser(userId) })
        expect(response.status).toBe(200)
        expect(body(response).data).toMatchObject({ userId })
        expect((await client.post('/api/tokens/call', { body: { callId }, headers: asUser(userId) })).status).toBe(200)
      })

      it('403 for a token in another user\'s name, unless a role of the principal may issue for others', async () => {
        const policy = definePolicy({ roles: { support: ['join-call', 'issue-for-others'] } })
        const client = await open({ authenticate: headerAuth, policy })
        const other = samples[provider.id] ? `${userId}2` : 'bob'
        expectError(await client.post('/api/tokens/call', { body: { userId: other, callId }, headers: asUser(userId) }), 403, 'ERR_CALLTOKEN_FORBIDDEN')
        const support = await client.post('/api/tokens/call', { body: { userId: other, callId }, headers: asUser(userId, ['support']) })
        expect(support.status).toBe(200)
        expect(body(support).data).toMatchObject({ userId: other })
      })

      it('a principal may only ask for one of its own roles', async () => {
        const client = await open({ authenticate: headerAuth })
        expectError(await client.post('/api/tokens/call', { body: { callId, role: 'admin' }, headers: asUser(userId, ['member']) }), 403, 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED')
        expect((await client.post('/api/tokens/call', { body: { callId, role: 'admin' }, headers: asUser(userId, ['admin']) })).status).toBe(200)
        expect((await client.post('/api/tokens/call', { body: { callId }, headers: asUser(userId) })).status).toBe(200)
      })

      it('authorize denies with a reason (403) or allows with overrides', async () => {
        const client = await open({
          authenticate: headerAuth,
          authorize: ({ input }) =>
            input.callId === 'forbidden-call' ? { allow: false, reason: 'not a participant of this call' } : { allow: true, role: 'moderator', validityInSeconds: 5400 },
        })
        const denied = await client.post('/api/tokens/call', { body: { callId: 'forbidden-call' }, headers: asUser(userId) })
        expectError(denied, 403, 'ERR_CALLTOKEN_FORBIDDEN')
        expect(body(denied).error).toBe('Forbidden: not a participant of this call')
        const allowed = await client.post('/api/tokens/call', { body: { callId }, headers: asUser(userId) })
        expect(body(allowed).data).toMatchObject({ role: 'moderator', validityInSeconds: 5400 })
      })

      const other = samples[provider.id] ? `${userId}2` : 'bob'
      const extras = extrasSamples[provider.id]
      if (provider.limits.extras.length > 0 && extras === undefined) throw new Error(`runHttpContract: extrasSamples.${provider.id} is missing (valid extras for ${provider.id})`)
      const context: ContractContext = { provider, userId, callId, other, userBody, userTokenNeedsCall, extras, validity, open, headerAuth, header: requestHeader, asUser, body, expectError, makeClient, makeRouteClient }
      describeRefresh(context)
      describeRequestRules(context)
      describeClientInput(context)

      it('rate limits per principal: N allowed, the N+1th is 429 with Retry-After; another principal is unaffected', async () => {
        const client = await open({ authenticate: headerAuth, rateLimit: { max: 3, windowMs: 60_000 } })
        for (let i = 0; i < 3; i++) {
          const allowed = await client.post('/api/tokens/user', { body: userBody(), headers: asUser(userId) })
          expect(allowed.status).toBe(200)
          // IETF RateLimit header fields, the same on every binding (the contract's clock stands still).
          expect({ policy: allowed.headers['ratelimit-policy'], limit: allowed.headers.ratelimit, retry: allowed.headers['retry-after'] }).toEqual({
            policy: '3;w=60',
            limit: `limit=3, remaining=${2 - i}, reset=60`,
            retry: undefined,
          })
        }
        const limited = await client.post('/api/tokens/user', { body: userBody(), headers: asUser(userId) })
        expectError(limited, 429, 'ERR_CALLTOKEN_RATE_LIMITED')
        expect({ limit: limited.headers.ratelimit, retry: limited.headers['retry-after'] }).toEqual({ limit: 'limit=3, remaining=0, reset=60', retry: '60' })
        expect((await client.post('/api/tokens/user', { body: userBody(), headers: asUser(`${userId}9`) })).status).toBe(200)
      })

      it('500 without the secret when the provider fails, details to the logger', async () => {
        const logged: unknown[] = []
        const secret = secrets[0] ?? 'secret'
        const failing = defineProvider({
          id: provider.id,
          limits: provider.limits,
          secrets: [secret],
          mapRole: (role) => provider.mapRole(role, new Set()),
          sign: () => {
            throw new Error(`signing with ${secret} failed`)
          },
          decode: provider.decode,
          verifySignature: provider.decode,
        })
        const client = await open({ provider: failing, allowAnonymous: true, logger: { error: (details) => logged.push(details) } })
        const response = await client.post('/api/tokens/user', { body: userBody({ userId }) })
        expectError(response, 500, 'ERR_CALLTOKEN_PROVIDER_FAILED')
        expect(JSON.stringify(response.body)).not.toContain(secret)
        expect(logged).toEqual([{ code: 'ERR_CALLTOKEN_PROVIDER_FAILED', cause: 'signing with [redacted] failed' }])
      })

      it('onIssued sees every minted token before the answer; a throw there sends no token', async () => {
        const seen: { route: string; kind: string; userId: string; principal: unknown }[] = []
        const client = await open({
          authenticate: headerAuth,
          onIssued: ({ route, kind, issued, principal }) => {
            if (issued.callId === 'unrecorded') throw new Error('audit store down')
            seen.push({ route, kind, userId: issued.userId, principal: principal?.userId })
          },
        })
        expect((await client.post('/api/tokens/call', { body: { callId }, headers: asUser(userId) })).status).toBe(200)
        expect((await client.post('/api/tokens/user', { body: userBody(), headers: asUser(userId) })).status).toBe(200)
        expect(seen).toEqual([
          { route: 'call', kind: 'call', userId, principal: userId },
          { route: 'user', kind: 'user', userId, principal: userId },
        ])
        const failed = await client.post('/api/tokens/call', { body: { callId: 'unrecorded' }, headers: asUser(userId) })
        expect(failed.status).toBe(500)
        expect(failed.body).toEqual({ handledBy: 'framework' })
      })

      it("unknown errors go to the framework's error handler", async () => {
        const client = await open({
          authenticate: () => {
            throw new Error('database down')
          },
        })
        const response = await client.post('/api/tokens/user', { body: {} })
        expect(response.status).toBe(500)
        expect(response.body).toEqual({ handledBy: 'framework' })
      })

      it('honours the mount prefix', async () => {
        const client = await open({ allowAnonymous: true }, '/video/v2')
        expect((await client.post('/video/v2/tokens/user', { body: userBody({ userId }) })).status).toBe(200)
        expect((await client.post('/api/tokens/user', { body: userBody({ userId }) })).status).toBe(404)
      })

      describe('a custom route (the app\'s own path, input and answers)', () => {
        // The appointment token route's shape: GET with the call in the path, an answer of the app's own, 404 for an unknown call.
        const known = new Map([['42', callId]])
        const seen: string[] = []
        const route: ContractRoute = {
          name: 'appointment',
          kind: 'call',
          method: 'get',
          path: '/appointments/:id/token',
          input: ({ req, principal }) => {
            const room = known.get((req as { params: { id: string } }).params.id)
            if (room === undefined) throw new CallTokenError('ERR_CALLTOKEN_NOT_FOUND', 'Appointment not found')
            return { userId: principal!.userId, callId: room, role: 'moderator', validityInSeconds: 5400 }
          },
          respond: (issued) => ({ access_token: issued.token, room_name: issued.callId, token_valid_until: issued.expiresAt.toISOString() }),
          respondError: (error) => ({ error: error.message }),
        }
        const openRoute = (options: Partial<CallTokenRouteOptions<CallTokenProvider, any>> = {}) =>
          makeRouteClient({ provider, now, authenticate: headerAuth, rateLimit: false, onIssued: ({ route: name }) => void seen.push(name), ...options }, '/api', route).then(
            (client) => (clients.push(client), client),
          )

        it('mints through the whole pipeline and answers in the app\'s shape, no-store', async () => {
          const response = await (await openRoute()).get('/api/appointments/42/token', { headers: asUser(userId, ['moderator']) })
          expect(response.status).toBe(200)
          expect(response.headers['cache-control']).toBe('no-store')
          const answer = response.body as { access_token: string; room_name: string; token_valid_until: string }
          expect(answer).toEqual({ access_token: expect.any(String), room_name: callId, token_valid_until: new Date((FIXED_NOW_S + 5400) * 1000).toISOString() })
          expect(await provider.verify(answer.access_token, { now })).toMatchObject({ userId, callId, expiresAt: FIXED_NOW_S + 5400 })
          expect(seen.at(-1)).toBe('appointment')
        })

        it('answers refusals in the app\'s error shape with their status: 401, 403, 404', async () => {
          const client = await openRoute()
          const unauthenticated = await client.get('/api/appointments/42/token')
          expect({ status: unauthenticated.status, body: unauthenticated.body }).toEqual({ status: 401, body: { error: 'Authentication required' } })
          const role = await client.get('/api/appointments/42/token', { headers: asUser(userId, ['member']) })
          expect(role.status).toBe(403)
          const missing = await client.get('/api/appointments/7/token', { headers: asUser(userId, ['moderator']) })
          expect({ status: missing.status, body: missing.body }).toEqual({ status: 404, body: { error: 'Appointment not found' } })
          expect(missing.headers['cache-control']).toBe('no-store')
        })

        it('answers with the status the route names (201 for a protocol that wants Created), errors with theirs', async () => {
          const created = await makeRouteClient({ provider, now, authenticate: headerAuth, rateLimit: false }, '/api', { ...route, status: 201 })
          clients.push(created)
          const response = await created.get('/api/appointments/42/token', { headers: asUser(userId, ['moderator']) })
          expect(response.status).toBe(201)
          expect((response.body as { access_token?: unknown }).access_token).toEqual(expect.any(String))
          expect((await created.get('/api/appointments/7/token', { headers: asUser(userId, ['moderator']) })).status).toBe(404)
        })

        it('is rate limited under its own name', async () => {
          const client = await openRoute({ rateLimit: { routes: { appointment: { max: 2 } } } })
          const statuses = []
          for (let i = 0; i < 3; i++) statuses.push((await client.get('/api/appointments/42/token', { headers: asUser(userId, ['moderator']) })).status)
          expect(statuses).toEqual([200, 200, 429])
          const limited = await client.get('/api/appointments/42/token', { headers: asUser(userId, ['moderator']) })
          expect({ status: limited.status, body: limited.body }).toEqual({ status: 429, body: { error: expect.stringMatching(/^Too many token requests/) } })
          expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
        })

        it('a 401 names the challenge when one is set', async () => {
          const client = await openRoute({ challenge: 'Bearer realm="calls"' })
          const response = await client.get('/api/appointments/42/token')
          expect(response.status).toBe(401)
          expect(response.headers['www-authenticate']).toBe('Bearer realm="calls"')
        })
      })

      it('never sends a secret, whatever the route and outcome', async () => {
        const client = await anonymous()
        const responses = await Promise.all([
          client.post('/api/tokens/user', { body: userBody({ userId }) }),
          client.post('/api/tokens/call', { body: { userId, callId, role: 'admin' } }),
          client.post('/api/tokens/call', { body: { userId: '', callId: '' } }),
          client.post('/api/tokens/refresh', { body: { refreshToken: 'x' } }),
        ])
        for (const response of responses) {
          for (const secret of secrets) expect(JSON.stringify(response.body)).not.toContain(secret)
        }
      })
    })
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
