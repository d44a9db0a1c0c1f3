import { bearerJwt as coreBearerJwt } from '@calltoken/core/http'
import { createHs256Jwt } from '@calltoken/core/provider'
import { bearerJwt, createFetchHandler, createFetchTokenRoute, type FetchRouteRequest } from '@calltoken/fetch'
import { stream } from '@calltoken/stream'
import { fixedClock } from '@calltoken/test-kit'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { answerOf, requestOf } from './support/fetch-client'

const provider = stream({ apiKey: 'fetchkey', apiSecret: 'fetch-binding-secret-0123456789abcdef0123456789' })
const base = { provider, now: fixedClock(), allowAnonymous: true } as const
const json = { 'content-type': 'application/json' }
const post = (path: string, body: unknown = { userId: 'alice' }, headers: Record<string, string> = {}) => requestOf('POST', path, { body, headers })

/** A body stream that counts what was pulled from it and whether it was cancelled: `total` bytes in 1 KiB chunks. */
function countingStream(total: number) {
  const state = { pulled: 0, cancelled: false }
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= total) return controller.close()
      const chunk = new TextEncoder().encode(state.pulled === 0 ? '{"pad":"' : 'x'.repeat(1024))
      state.pulled += chunk.byteLength
      controller.enqueue(chunk)
    },
    cancel() {
      state.cancelled = true
    },
  }, { highWaterMark: 0 })
  return { state, body }
}

describe('prefix', () => {
  it('is stripped before the routes are matched; the query string is ignored', async () => {
    const handler = createFetchHandler({ ...base, prefix: '/video/v2' })
    expect((await handler(post('/video/v2/tokens/user'))).status).toBe(200)
    expect((await handler(post('/video/v2/tokens/call?debug=1', { userId: 'alice', callId: 'c1' }))).status).toBe(200)
    for (const path of ['/tokens/user', '/video/v2tokens/user', '/video/v2x/tokens/user', '/video/v2/tokens/user/', '/video/v2']) {
      expect((await handler(post(path))).status, path).toBe(404)
    }
  })

  it("defaults to '' (the routes at the root), and a trailing / is dropped", async () => {
    expect((await createFetchHandler(base)(post('/tokens/user'))).status).toBe(200)
    expect((await createFetchHandler({ ...base, prefix: '/api/' })(post('/api/tokens/user'))).status).toBe(200)
  })

  it('refuses a prefix, clientKey or fallthrough of the wrong shape at creation', () => {
    for (const options of [{ prefix: 'api' }, { prefix: '/api/:version' }, { prefix: '/api?x' }, { prefix: 42 }, { clientKey: 'cf-connecting-ip' }, { fallthrough: 'yes' }]) {
      expect(() => createFetchHandler({ ...base, ...(options as object) }), JSON.stringify(options)).toThrow(expect.objectContaining({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' }))
    }
  })
})

describe('a request that is not a token route', () => {
  it("is a 404 in the routes' envelope, no-store, for an unknown path or another method", async () => {
    const handler = createFetchHandler({ ...base, prefix: '/api' })
    for (const request of [post('/api/tokens/nope'), requestOf('GET', '/api/tokens/user'), requestOf('PUT', '/api/tokens/call'), post('/elsewhere')]) {
      const answer = await answerOf(await handler(request))
      const path = new URL(request.url).pathname
      expect(answer).toEqual({
        status: 404,
        headers: expect.objectContaining({ 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' }),
        body: { success: false, error: `No token route answers ${request.method} ${path}`, code: 'ERR_CALLTOKEN_NOT_FOUND' },
      })
    }
  })

  it('/tokens/refresh is not a route with refresh: false', async () => {
    const handler = createFetchHandler({ ...base, refresh: false })
    expect((await handler(post('/tokens/refresh', { refreshToken: 'x' }))).status).toBe(404)
    expect((await handler(post('/tokens/user'))).status).toBe(200)
  })

  it('with fallthrough: true is undefined, for the host to route; its routes answer as usual', async () => {
    const handler = createFetchHandler({ ...base, prefix: '/api', fallthrough: true })
    expect(await handler(post('/api/other'))).toBeUndefined()
    expect(await handler(requestOf('GET', '/api/tokens/user'))).toBeUndefined()
    expect((await handler(post('/api/tokens/user')))?.status).toBe(200)
    const route = createFetchTokenRoute({ ...base, fallthrough: true }, { name: 'lobby', kind: 'user', method: 'get', path: '/lobby', input: () => ({ userId: 'guest' }) })
    expect(await route(requestOf('POST', '/lobby'))).toBeUndefined()
    expect((await route(requestOf('GET', '/lobby')))?.status).toBe(200)
  })

  it('types the answer: Response, or Response | undefined with fallthrough', () => {
    expectTypeOf(createFetchHandler(base)).returns.resolves.toEqualTypeOf<Response>()
    expectTypeOf(createFetchHandler({ ...base, fallthrough: false })).returns.resolves.toEqualTypeOf<Response>()
    expectTypeOf(createFetchHandler({ ...base, fallthrough: true })).returns.resolves.toEqualTypeOf<Response | undefined>()
    const maybe: boolean = Math.random() > 2
    expectTypeOf(createFetchHandler({ ...base, fallthrough: maybe })).returns.resolves.toEqualTypeOf<Response | undefined>()
    expectTypeOf(createFetchHandler(base)).parameters.toEqualTypeOf<[Request]>()
  })
})

describe('the rate-limit key of a request without a principal', () => {
  const limited = { ...base, rateLimit: { max: 2, windowMs: 60_000 } }
  const from = (ip: string) => post('/tokens/user', { userId: 'alice' }, { 'x-client-ip': ip })
  const statuses = async (handler: (request: Request) => Promise<Response>, requests: Request[]) => {
    const found: number[] = []
    for (const request of requests) found.push((await handler(request)).status)
    return found
  }

  it('is what clientKey returns: each client has its own budget', async () => {
    const handler = createFetchHandler({ ...limited, clientKey: (request) => request.headers.get('x-client-ip') })
    expect(await statuses(handler, [from('203.0.113.7'), from('203.0.113.7'), from('203.0.113.7'), from('198.51.100.1')])).toEqual([200, 200, 429, 200])
    // IPv6 counts by its /56, so a client cannot multiply its budget by varying the rest of its address.
    expect(await statuses(handler, [from('2001:db8:1:100::1'), from('2001:db8:1:1ff::2'), from('2001:db8:1:100::3')])).toEqual([200, 200, 429])
  })

  it("gets what the host passed after the request (Deno.serve's info, Bun's server, Hono's context)", async () => {
    const handler = createFetchHandler({ ...limited, clientKey: (_request, info: { remoteAddr: { hostname: string } }) => info.remoteAddr.hostname })
    expectTypeOf(handler).parameters.toEqualTypeOf<[Request, { remoteAddr: { hostname: string } }]>()
    const at = (hostname: string) => handler(post('/tokens/user'), { remoteAddr: { hostname } })
    expect([(await at('192.0.2.1')).status, (await at('192.0.2.1')).status, (await at('192.0.2.1')).status, (await at('192.0.2.2')).status]).toEqual([200, 200, 429, 200])
  })

  it('without clientKey (or when it returns nothing), is one budget that every such request shares: limited, never unlimited', async () => {
    for (const clientKey of [undefined, () => null, () => '']) {
      const handler = createFetchHandler({ ...limited, ...(clientKey ? { clientKey } : {}) })
      expect(await statuses(handler, [from('203.0.113.7'), from('198.51.100.1'), from('192.0.2.1')])).toEqual([200, 200, 429])
    }
  })

  it('does not apply to a principal, which is counted by its user id', async () => {
    const authenticate = (request: Request) => ({ userId: request.headers.get('x-user') ?? 'nobody' })
    const handler = createFetchHandler({ ...limited, allowAnonymous: false, authenticate })
    const as = (user: string) => post('/tokens/user', {}, { 'x-user': user })
    expect(await statuses(handler, [as('alice'), as('alice'), as('alice'), as('bob')])).toEqual([200, 200, 429, 200])
  })
})

describe('the body', () => {
  const tooLarge = { success: false, error: 'Request body is larger than 16384 bytes', code: 'ERR_CALLTOKEN_BODY_TOO_LARGE' }

  it('over 16 KiB by its Content-Length: 413, and nothing of it is read', async () => {
    const { state, body } = countingStream(64 * 1024)
    const request = new Request('http://localhost/tokens/call', { method: 'POST', headers: { ...json, 'content-length': String(64 * 1024) }, body, duplex: 'half' } as RequestInit)
    const answer = await answerOf(await createFetchHandler(base)(request))
    expect(answer).toMatchObject({ status: 413, body: tooLarge, headers: { 'cache-control': 'no-store' } })
    expect(answer.headers['ratelimit-policy']).toBeUndefined() // refused before the pipeline, uncounted
    expect(state).toEqual({ pulled: 0, cancelled: true })
  })

  it('over 16 KiB as a stream without Content-Length: 413, and the stream is cancelled, not read to its end', async () => {
    const { state, body } = countingStream(1024 * 1024)
    const request = new Request('http://localhost/tokens/call', { method: 'POST', headers: json, body, duplex: 'half' } as RequestInit)
    expect(request.headers.get('content-length')).toBeNull()
    const answer = await answerOf(await createFetchHandler(base)(request))
    expect(answer).toMatchObject({ status: 413, body: tooLarge })
    expect(state.cancelled).toBe(true)
    expect(state.pulled).toBeGreaterThan(16 * 1024)
    expect(state.pulled).toBeLessThan(20 * 1024)
  })

  it('of exactly 16 KiB is read and judged (here: an unknown field, 422)', async () => {
    const text = `{"pad":"${'x'.repeat(16 * 1024 - 10)}"}`
    expect(new TextEncoder().encode(text).byteLength).toBe(16 * 1024)
    const answer = await answerOf(await createFetchHandler(base)(post('/tokens/user', text, json)))
    expect(answer).toMatchObject({ status: 422, body: { code: 'ERR_CALLTOKEN_INVALID_INPUT' } })
  })

  it('arriving in many chunks is put together: bytes split inside a UTF-8 character still parse', async () => {
    // Ids are ASCII, so the multi-byte text is a key: the issue quotes it back, decoded.
    const bytes = new TextEncoder().encode(JSON.stringify({ userId: 'alice', 'clé-ключ': 1 }))
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 3) controller.enqueue(bytes.slice(i, i + 3))
        controller.close()
      },
    })
    const request = new Request('http://localhost/tokens/user', { method: 'POST', headers: json, body, duplex: 'half' } as RequestInit)
    const answer = await answerOf(await createFetchHandler(base)(request))
    expect(answer).toMatchObject({ status: 422, body: { issues: [{ message: 'clé-ключ is not a known field' }] } })
  })

  it('already read by the host (a middleware called request.json()) is refused: 500 INVALID_CONFIG, logged, nothing minted', async () => {
    const logged: unknown[] = []
    const handler = createFetchHandler({ ...base, logger: { error: (_details, message) => logged.push(message) } })
    const request = post('/tokens/user', { userId: 'alice' })
    await request.json()
    const answer = await answerOf(await handler(request))
    expect(answer).toMatchObject({ status: 500, body: { code: 'ERR_CALLTOKEN_INVALID_CONFIG' } })
    expect(logged).toEqual([expect.stringMatching(/before the token routes/)])
  })

  it('and the headers reach the handler as a lower-case record (content type, authorization)', async () => {
    const seen: unknown[] = []
    const handler = createFetchHandler({ ...base, allowAnonymous: false, authenticate: (request) => (seen.push(request), { userId: 'alice' }) })
    const request = new Request('http://localhost/tokens/user', { method: 'POST', headers: { 'Content-Type': 'Application/JSON' }, body: '{}' })
    expect((await handler(request)).status).toBe(200)
    expect(seen).toEqual([request]) // authenticate gets the Request itself
  })
})

describe('errors that are not CallTokenErrors', () => {
  it("reject the handler's promise with the error itself, for the host to answer", async () => {
    const failure = new Error('database down')
    const handler = createFetchHandler({
      provider,
      authenticate: () => {
        throw failure
      },
    })
    await expect(handler(post('/tokens/user'))).rejects.toBe(failure)
  })
})

describe('createFetchTokenRoute', () => {
  const rooms = new Map([['r 1', 'room-one']])
  const route = createFetchTokenRoute(
    { ...base, prefix: '/api' },
    {
      name: 'member-token',
      kind: 'call',
      method: 'get',
      path: '/rooms/:room/members/:member/token',
      input: ({ req }) => {
        expectTypeOf(req).toEqualTypeOf<FetchRouteRequest>()
        return { userId: req.params.member!, callId: rooms.get(req.params.room!) ?? 'lobby' }
      },
      respond: (issued, req) => ({ token: issued.token, room: issued.callId, params: req.params, isRequest: req instanceof Request }),
    },
  )

  it('matches its method and path, giving input the decoded :params as req.params on the Request', async () => {
    const answer = await answerOf(await route(requestOf('GET', '/api/rooms/r%201/members/zo%40e/token')))
    expect(answer).toMatchObject({ status: 200, body: { room: 'room-one', params: { room: 'r 1', member: 'zo@e' }, isRequest: true } })
    expect(answer.headers['cache-control']).toBe('no-store')
  })

  it('is a 404 for another method, a missing or extra segment, an empty or malformed param', async () => {
    for (const [method, path] of [
      ['POST', '/api/rooms/r1/members/alice/token'],
      ['GET', '/rooms/r1/members/alice/token'],
      ['GET', '/api/rooms/r1/members/token'],
      ['GET', '/api/rooms/r1/members/alice/token/x'],
      ['GET', '/api/rooms//members/alice/token'],
      ['GET', '/api/rooms/r1/members/%E0%A4%A/token'],
    ] as const) {
      const answer = await answerOf(await route(requestOf(method, path)))
      expect({ path, status: answer.status, code: (answer.body as { code: string }).code }).toEqual({ path, status: 404, code: 'ERR_CALLTOKEN_NOT_FOUND' })
    }
  })

  it('refuses path syntax other than literal segments and :params at creation', () => {
    const spec = { name: 'r', kind: 'user', method: 'get', input: () => ({ userId: 'a' }) } as const
    for (const path of ['/files/*', '/rooms/:id?', '/rooms/{:id}', '/rooms/:id(\\d+)', '/a/:id/b/:id']) {
      expect(() => createFetchTokenRoute(base, { ...spec, path }), path).toThrow(expect.objectContaining({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' }))
    }
  })
})

describe('bearerJwt', () => {
  it("is core's, which reads a Request's Headers as well as a framework's header record", async () => {
    expect(bearerJwt).toBe(coreBearerJwt)
    const secret = 'a-session-secret-of-some-length-0123'
    const session = await createHs256Jwt(secret, { typ: 'JWT' }).sign({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 600 })
    const authenticate = bearerJwt({ secret })
    expect(await authenticate(new Request('http://localhost/', { headers: { authorization: `Bearer ${session}` } }))).toMatchObject({ userId: 'alice' })
    expect(await authenticate({ headers: { authorization: `Bearer ${session}` } })).toMatchObject({ userId: 'alice' })
    expect(await authenticate(new Request('http://localhost/'))).toBeNull()
  })
})

describe('portability', () => {
  it('the sources use no Node API: no Buffer, no process, no node: import, no require', async () => {
    const { readdirSync, readFileSync } = await import('node:fs')
    const src = new URL('../src/', import.meta.url)
    const files = readdirSync(src).filter((name) => name.endsWith('.ts'))
    expect(files.length).toBeGreaterThan(3)
    for (const name of files) {
      const code = readFileSync(new URL(name, src), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
      expect(code, name).not.toMatch(/\bBuffer\b|\bprocess\b|\brequire\s*\(|from\s+['"]node:|import\(\s*['"]node:|\bglobal\b\./)
    }
  })
})
