import { createFetchHandler, createFetchTokenRoute } from '@calltoken/fetch'
import { stream } from '@calltoken/stream'
import { fixedClock } from '@calltoken/test-kit'
import { serve, type ServerType } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import { Hono, type Context } from 'hono'
import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const provider = stream({ apiKey: 'honokey', apiSecret: 'hono-host-secret-0123456789abcdef0123456789abcd' })
const json = { 'content-type': 'application/json' }

/**
 * The README's Hono app: the token routes as a middleware under /api that falls through to the app's own routes,
 * the client's address from Hono's connection info, a custom route, and the app's onError for unknown errors.
 */
function honoApp(keys: unknown[]) {
  const handler = createFetchHandler({
    provider,
    now: fixedClock(),
    prefix: '/api',
    fallthrough: true,
    authenticate: (request) => {
      if (request.headers.get('x-user') === 'db-down') throw new Error('database down')
      const userId = request.headers.get('x-user')
      return userId ? { userId } : null
    },
    allowAnonymous: true,
    rateLimit: { max: 2, windowMs: 60_000 },
    clientKey: (_request, c: Context) => {
      const address = getConnInfo(c).remote.address
      keys.push(address)
      return address
    },
  })
  const lobby = createFetchTokenRoute(
    { provider, now: fixedClock(), allowAnonymous: true, prefix: '/api' },
    { name: 'lobby', kind: 'call', method: 'get', path: '/lobby/:room/token', input: ({ req }) => ({ userId: 'guest', callId: req.params.room! }) },
  )
  const app = new Hono()
  app.use('/api/*', async (c, next) => (await handler(c.req.raw, c)) ?? next())
  app.get('/api/lobby/:room/token', (c) => lobby(c.req.raw))
  app.get('/api/health', (c) => c.json({ ok: true }))
  app.onError((error, c) => c.json({ handledBy: 'hono', message: error.message }, 500))
  return app
}

describe('mounted in Hono (app.request)', () => {
  // app.request has no socket: Hono's connection info is not there, so these requests pass no client key.
  const app = new Hono()
  const handler = createFetchHandler({ provider, now: fixedClock(), allowAnonymous: true, prefix: '/api', fallthrough: true })
  app.use('/api/*', async (c, next) => (await handler(c.req.raw)) ?? next())
  app.get('/api/health', (c) => c.text('ok'))
  app.post('/api/tokens/other', (c) => c.text('the app’s own'))
  app.onError((error, c) => c.json({ handledBy: 'hono', message: error.message }, 500))

  it('answers the token routes and lets every other request through to the app', async () => {
    const minted = await app.request('/api/tokens/call', { method: 'POST', headers: json, body: JSON.stringify({ userId: 'alice', callId: 'c1' }) })
    expect(minted.status).toBe(200)
    expect(minted.headers.get('cache-control')).toBe('no-store')
    expect(await minted.json()).toMatchObject({ success: true, data: { userId: 'alice', callId: 'c1', role: 'member' } })
    expect(await (await app.request('/api/health')).text()).toBe('ok')
    expect(await (await app.request('/api/tokens/other', { method: 'POST' })).text()).toBe('the app’s own')
    expect((await app.request('/api/nothing')).status).toBe(404) // Hono's own 404
  })

  it('refuses a body a middleware already read (c.req.json()): 500 INVALID_CONFIG, logged, nothing minted', async () => {
    const logged: string[] = []
    const reading = new Hono()
    const tokens = createFetchHandler({ provider, allowAnonymous: true, logger: { error: (_details, message) => void logged.push(message) } })
    reading.use('*', async (c, next) => {
      await c.req.json() // a validator, a logger of bodies…
      await next()
    })
    reading.post('/tokens/*', (c) => tokens(c.req.raw))
    const response = await reading.request('/tokens/user', { method: 'POST', headers: json, body: JSON.stringify({ userId: 'alice' }) })
    expect({ status: response.status, body: await response.json() }).toMatchObject({ status: 500, body: { code: 'ERR_CALLTOKEN_INVALID_CONFIG' } })
    expect(logged).toEqual([expect.stringMatching(/before the token routes/)])
  })

  it("gives Hono's onError what is not a CallTokenError, and answers calltoken's errors itself", async () => {
    const failing = new Hono()
    const throwing = createFetchHandler({
      provider,
      authenticate: () => {
        throw new Error('database down')
      },
    })
    failing.post('/tokens/*', (c) => throwing(c.req.raw))
    failing.onError((error, c) => c.json({ handledBy: 'hono', message: error.message }, 500))
    const response = await failing.request('/tokens/user', { method: 'POST' })
    expect({ status: response.status, body: await response.json() }).toEqual({ status: 500, body: { handledBy: 'hono', message: 'database down' } })
    const refused = await app.request('/api/tokens/call', { method: 'POST', headers: json, body: '{"userId":' })
    expect({ status: refused.status, body: await refused.json() }).toMatchObject({ status: 400, body: { code: 'ERR_CALLTOKEN_MALFORMED_BODY' } })
  })
})

describe('served by Node through @hono/node-server (real HTTP)', () => {
  let server: ServerType
  let origin: string
  const keys: unknown[] = []

  beforeAll(async () => {
    server = serve({ fetch: honoApp(keys).fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  /** A raw HTTP/1.1 request: a body in one piece with its Content-Length, or in chunks without one. */
  function send(path: string, body: Buffer, chunked: boolean): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(`${origin}${path}`, { method: 'POST', headers: { ...json, ...(chunked ? {} : { 'content-length': String(body.length) }) } }, (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: response.statusCode!, body: text }))
      })
      request.on('error', reject)
      if (!chunked) return void request.end(body)
      for (let offset = 0; offset < body.length; offset += 4096) request.write(body.subarray(offset, offset + 4096))
      request.end()
    })
  }

  it('mints over HTTP, with the token route headers', async () => {
    const response = await fetch(`${origin}/api/tokens/user`, { method: 'POST', headers: { ...json, 'x-user': 'alice' }, body: '{}' })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(response.headers.get('ratelimit-policy')).toBe('2;w=60')
    expect(await response.json()).toMatchObject({ success: true, data: { userId: 'alice', refreshToken: expect.any(String) } })
    expect(await (await fetch(`${origin}/api/health`)).json()).toEqual({ ok: true })
    const lobby = await fetch(`${origin}/api/lobby/hall-7/token`)
    expect(await lobby.json()).toMatchObject({ success: true, data: { userId: 'guest', callId: 'hall-7' } })
  })

  it("counts anonymous requests by the socket's address (clientKey from Hono's connection info)", async () => {
    const ask = () => fetch(`${origin}/api/tokens/user`, { method: 'POST', headers: json, body: '{"userId":"bob"}' })
    keys.length = 0
    const statuses = [(await ask()).status, (await ask()).status, (await ask()).status]
    expect(statuses).toEqual([200, 200, 429])
    expect(keys).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1'])
    // A signed-in user is counted by its user id, not by the address.
    expect((await fetch(`${origin}/api/tokens/user`, { method: 'POST', headers: { 'x-user': 'carol' } })).status).toBe(200)
  })

  it('refuses a body over 16 KiB with a 413, sent with a Content-Length or in chunks without one', async () => {
    const large = Buffer.from(JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }))
    for (const chunked of [false, true]) {
      const answer = await send('/api/tokens/call', large, chunked)
      expect({ chunked, status: answer.status, body: JSON.parse(answer.body) }).toEqual({
        chunked,
        status: 413,
        body: { success: false, error: 'Request body is larger than 16384 bytes', code: 'ERR_CALLTOKEN_BODY_TOO_LARGE' },
      })
    }
    expect((await fetch(`${origin}/api/health`)).status).toBe(200) // the server is still fine
  })

  it("an unknown error reaches Hono's onError (500), not the client as a token answer", async () => {
    const response = await fetch(`${origin}/api/tokens/user`, { method: 'POST', headers: { 'x-user': 'db-down' } })
    expect({ status: response.status, body: await response.json() }).toEqual({ status: 500, body: { handledBy: 'hono', message: 'database down' } })
  })
})
