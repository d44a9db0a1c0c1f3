import { build } from 'esbuild'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { CHROMIUM_ARGS, CHROMIUM_PATH, describeWithChromium } from '@calltoken/test-kit/chromium'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

// The token source in a real Chromium, against a tiny token server on 127.0.0.1 that answers the routes' shapes
// with 3 s tokens, can be told to fail and can be restarted. Without Chromium the suite is skipped with a loud
// warning, except under CI, where it fails.

const VALIDITY_S = 3
const LATENCY_MS = 120

interface Logged {
  path: string
  at: number
  status: number
  refreshToken?: string
  issued?: string
}

/** The token routes, by hand: `tok-N` with `rt-N`, refresh tokens valid until their token expires. */
function tokenServer(page: () => string) {
  const state = {
    mode: 'ok' as 'ok' | 'unauthenticated' | 'unavailable',
    log: [] as Logged[],
    inFlight: 0,
    maxInFlight: 0,
    minted: 0,
    refreshTokens: new Map<string, number>(),
  }
  let server: Server | undefined
  let port = 0

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', date: new Date().toUTCString(), ...headers })
    res.end(JSON.stringify(body))
  }
  const fail = (res: ServerResponse, status: number, code: string) => send(res, status, { success: false, error: code, code })

  async function tokens(req: IncomingMessage, res: ServerResponse, path: string) {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { callId?: string; refreshToken?: string }
    state.inFlight++
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight)
    const entry: Logged = { path, at: Date.now(), status: 0, refreshToken: body.refreshToken }
    state.log.push(entry)
    await new Promise((resolve) => setTimeout(resolve, LATENCY_MS))
    state.inFlight--
    if (state.mode === 'unavailable') return (entry.status = 503), fail(res, 503, 'ERR_CALLTOKEN_AUTH_UNAVAILABLE')
    if (state.mode === 'unauthenticated' || req.headers.authorization !== 'Bearer ada') {
      return (entry.status = 401), fail(res, 401, 'ERR_CALLTOKEN_UNAUTHENTICATED')
    }
    if (path.endsWith('/refresh')) {
      const expires = state.refreshTokens.get(body.refreshToken ?? '')
      if (expires === undefined) return (entry.status = 401), fail(res, 401, 'ERR_CALLTOKEN_INVALID_TOKEN')
      if (Date.now() >= expires) return (entry.status = 401), fail(res, 401, 'ERR_CALLTOKEN_TOKEN_EXPIRED')
    } else if (body.callId !== 'team-123') {
      return (entry.status = 422), fail(res, 422, 'ERR_CALLTOKEN_INVALID_INPUT')
    }
    const n = ++state.minted
    const expiresAt = Date.now() + VALIDITY_S * 1000
    state.refreshTokens.set(`rt-${n}`, expiresAt)
    entry.status = 200
    entry.issued = `tok-${n}`
    send(res, 200, {
      success: true,
      data: { token: `tok-${n}`, userId: 'ada', callId: 'team-123', validityInSeconds: VALIDITY_S, expiresAt: new Date(expiresAt).toISOString(), refreshToken: `rt-${n}`, apiKey: 'key-1' },
    })
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    if (req.method === 'GET' && path === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE)
    if (req.method === 'GET' && path === '/client.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(page())
    if (req.method === 'POST' && path.startsWith('/api/tokens/')) return void tokens(req, res, path).catch(() => res.destroy())
    res.writeHead(404).end()
  }

  return {
    state,
    get url() {
      return `http://127.0.0.1:${port}`
    },
    async start() {
      server = createServer(handler)
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve))
      port = (server.address() as AddressInfo).port
    },
    async stop() {
      const closing = server
      server = undefined
      if (!closing) return
      await new Promise<void>((resolve) => {
        closing.close(() => resolve())
        closing.closeAllConnections()
      })
    },
    reset() {
      Object.assign(state, { mode: 'ok', log: [], inFlight: 0, maxInFlight: 0 })
    },
  }
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>calltoken client</title>
<script type="module">
import { createTokenSource } from '/client.js'
window.events = []
const log = (event) => window.events.push({ ...event, at: Date.now() })
window.source = createTokenSource({
  url: '/api/tokens/call',
  body: { callId: 'team-123' },
  headers: async () => ({ authorization: 'Bearer ada' }),
  timeoutMs: 8000,
  onError: (e) => log({ type: 'attempt-error', code: e.code, transient: e.transient }),
})
window.source.subscribe(
  (t) => log({ type: 'token', token: t.token, expiresAt: t.expiresAt.getTime() }),
  (e) => log({ type: 'error', code: e.code, status: e.status, transient: e.transient }),
)
window.ready = true
</script>`

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await sleep(50)
  }
}

describeWithChromium('in a real browser (Chromium)', () => {
  let bundle = ''
  const server = tokenServer(() => bundle)
  let browser: Browser
  let context: BrowserContext
  let page: Page

  const events = () => page.evaluate('window.events') as Promise<{ type: string; token?: string; code?: string; at: number; expiresAt?: number }[]>
  const tokenEvents = async () => (await events()).filter((e) => e.type === 'token')

  beforeAll(async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      write: false,
      logLevel: 'silent',
    })
    bundle = result.outputFiles[0]!.text
    await server.start()
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
      headless: true,
    })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await server.stop()
  })

  beforeEach(async () => {
    server.reset()
    context = await browser.newContext()
    page = await context.newPage()
    await page.goto(server.url)
    await page.waitForFunction('window.ready === true')
  })

  afterEach(async () => {
    await page.evaluate('window.source.stop()').catch(() => {})
    await context.close()
    // Every test, whatever it did: never two requests in flight.
    expect(server.state.maxInFlight).toBeLessThanOrEqual(1)
  })

  it('gets a token: the route data, expiresAt a Date, the refresh token kept inside', async () => {
    const token = await page.evaluate(`source.get().then((t) => ({
      token: t.token, callId: t.callId, apiKey: t.apiKey, isDate: t.expiresAt instanceof Date, hasRefreshToken: 'refreshToken' in t,
    }))`)
    expect(token).toEqual({ token: server.state.log[0]!.issued, callId: 'team-123', apiKey: 'key-1', isDate: true, hasRefreshToken: false })
    expect(server.state.log.map((l) => l.path)).toEqual(['/api/tokens/call'])
  }, 30_000)

  it('concurrent get() and refresh() calls share one request', async () => {
    const tokens = await page.evaluate('Promise.all(Array.from({ length: 20 }, (_, i) => (i % 3 ? source.get() : source.refresh()).then((t) => t.token)))')
    expect(new Set(tokens as string[]).size).toBe(1)
    expect(server.state.log).toHaveLength(1)
    expect(server.state.log[0]!.issued).toBe((tokens as string[])[0])
  }, 30_000)

  it('refreshes with the refresh token before the token expires, again and again', async () => {
    await page.evaluate('source.get()')
    await until(async () => (await tokenEvents()).length >= 3, 'three refreshes')
    const log = server.state.log
    expect(log[0]).toMatchObject({ path: '/api/tokens/call', refreshToken: undefined })
    for (let i = 1; i < 4; i++) {
      // Each refresh presents the refresh token of the answer before it.
      expect(log[i]).toMatchObject({ path: '/api/tokens/refresh', refreshToken: log[i - 1]!.issued!.replace('tok-', 'rt-'), status: 200 })
    }
    // Each refresh went out around half the 3 s lifetime: well before its predecessor expired.
    for (let i = 1; i < 4; i++) {
      const gap = log[i]!.at - log[i - 1]!.at
      expect(gap).toBeGreaterThan(1200)
      expect(gap).toBeLessThan(VALIDITY_S * 1000 - 500)
    }
    expect((await tokenEvents()).slice(0, 3).map((e) => e.token)).toEqual(log.slice(1, 4).map((l) => l.issued))
  }, 30_000)

  it('survives the token server restarting: retries through connection errors, then gets a token again', async () => {
    await page.evaluate('source.get()')
    await server.stop()
    const down = Date.now()
    await sleep(3500) // the refresh falls due and the token expires while nobody answers
    const failed = (await events()).filter((e) => e.type === 'attempt-error')
    expect(failed.length).toBeGreaterThan(0)
    expect(failed.every((e) => e.code === 'ERR_CALLTOKEN_NETWORK')).toBe(true)
    await server.start()
    await until(async () => (await tokenEvents()).length >= 1, 'a token after the restart')
    const [renewed] = await tokenEvents()
    expect(renewed!.at).toBeGreaterThan(down + 3500)
    // The old token had expired: a fresh request, not its dead refresh token.
    expect(server.state.log.find((l) => l.issued === renewed!.token)?.path).toBe('/api/tokens/call')
    expect(await page.evaluate('source.get().then((t) => t.token)')).toBe(renewed!.token)
  }, 30_000)

  it('a 503 is retried and the cached token is served meanwhile', async () => {
    const first = await page.evaluate('source.get().then((t) => t.token)')
    server.state.mode = 'unavailable'
    await until(() => server.state.log.some((l) => l.status === 503), 'a failed refresh')
    expect(await page.evaluate('source.get().then((t) => t.token)')).toBe(first)
    server.state.mode = 'ok'
    await until(async () => (await tokenEvents()).length >= 1, 'the refresh to succeed')
    expect(await page.evaluate('source.stopped')).toBe(false)
  }, 30_000)

  it('stops for good on a 401: subscribers hear it, get() rejects with the code, no more requests', async () => {
    await page.evaluate('source.get()')
    server.state.mode = 'unauthenticated'
    await until(async () => (await events()).some((e) => e.type === 'error'), 'the refusal')
    const error = (await events()).find((e) => e.type === 'error')
    expect(error).toMatchObject({ code: 'ERR_CALLTOKEN_UNAUTHENTICATED', status: 401, transient: false })
    expect(await page.evaluate('source.stopped')).toBe(true)
    expect(await page.evaluate('source.get().then(() => "resolved", (e) => e.code + " " + e.status)')).toBe('ERR_CALLTOKEN_UNAUTHENTICATED 401')
    const requests = server.state.log.length
    server.state.mode = 'ok'
    await sleep(4000)
    expect(server.state.log).toHaveLength(requests)
  }, 30_000)

  it('holds the refresh while offline and catches up on online', async () => {
    await page.evaluate('source.get()')
    await context.setOffline(true)
    expect(await page.evaluate('navigator.onLine')).toBe(false)
    await sleep(2500) // the refresh was due after 1.5 s
    expect(server.state.log).toHaveLength(1)
    await context.setOffline(false)
    await until(() => server.state.log.length === 2, 'the catch-up request', 3000)
    await until(async () => (await tokenEvents()).length === 1, 'the caught-up token', 3000)
  }, 30_000)
})
