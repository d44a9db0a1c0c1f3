import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTokenSource, TokenSourceError, type TokenSource, type TokenSourceOptions } from '../src/index'
import { deferred, failWith, fakeServer, hang, networkError, response } from './fake-server'

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0)
const URL = '/api/tokens/call'
const S = 1000

let server: ReturnType<typeof fakeServer>
let sources: TokenSource[] = []

function source(options: Partial<TokenSourceOptions> = {}): TokenSource {
  const created = createTokenSource({ url: URL, body: { callId: 'team-123' }, fetch: server.fetch, random: () => 0.5, ...options })
  sources.push(created)
  return created
}

/** Lets the fake fetch's promise chains run without moving the clock. */
const settle = () => vi.advanceTimersByTimeAsync(0)

/** A promise's outcome, observed without an unhandled rejection. */
function outcome<T>(promise: Promise<T>) {
  const seen: { value?: T; error?: any; done: boolean } = { done: false }
  promise.then(
    (value) => Object.assign(seen, { value, done: true }),
    (error) => Object.assign(seen, { error, done: true }),
  )
  return seen
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 })
  server = fakeServer()
})

afterEach(() => {
  for (const s of sources) s.stop()
  sources = []
  // The rule every test checks: the source never had two requests in flight.
  expect(server.maxInFlight).toBeLessThanOrEqual(1)
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('get()', () => {
  it('posts the body as JSON with the headers of the moment, and answers the route data with expiresAt as a Date', async () => {
    let session = 'one'
    const headers = vi.fn(async () => ({ authorization: `Bearer ${session}` }))
    const s = source({ headers })
    const token = await s.get()

    expect(server.calls).toHaveLength(1)
    const [call] = server.calls
    expect(call!.url).toBe(URL)
    expect(call!.body).toEqual({ callId: 'team-123' })
    expect(call!.headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Bearer one' })
    expect(token).toEqual({
      token: 'tok-1',
      userId: 'ada',
      callId: 'team-123',
      validityInSeconds: 600,
      expiresAt: new Date(T0 + 600 * S),
      apiKey: 'key-1',
    })
    expect(token.expiresAt).toBeInstanceOf(Date)
    expect('refreshToken' in token).toBe(false) // kept inside the source
    expect(Object.isFrozen(token)).toBe(true)

    session = 'two'
    await vi.advanceTimersByTimeAsync(480 * S)
    expect(server.calls[1]!.headers.authorization).toBe('Bearer two') // asked again for every request
    expect(headers).toHaveBeenCalledTimes(2)
  })

  it('accepts synchronous headers and posts {} without a body', async () => {
    const s = source({ body: undefined, headers: () => ({ 'x-session': 's1' }) })
    await s.get()
    expect(server.calls[0]!.body).toEqual({})
    expect(server.calls[0]!.headers['x-session']).toBe('s1')
  })

  it('serves the cached token without a request until shortly before expiry', async () => {
    const s = source()
    const first = await s.get()
    await vi.advanceTimersByTimeAsync(100 * S)
    expect(await s.get()).toBe(first)
    expect(server.calls).toHaveLength(1)
  })

  it('concurrent calls share one request', async () => {
    const answer = deferred()
    server.script.push(answer.handler)
    const s = source()
    const all = [s.get(), s.get(), s.get(), s.refresh()]
    await settle()
    expect(server.calls).toHaveLength(1)
    answer.resolve(server.mint(server.calls[0]!) as any)
    const tokens = await Promise.all(all)
    expect(new Set(tokens.map((t) => t.token))).toEqual(new Set(['tok-1']))
    expect(server.calls).toHaveLength(1)
  })

  it('uses globalThis.fetch, looked up per request, when no fetch is given', async () => {
    const fetch = vi.fn(server.fetch)
    vi.stubGlobal('fetch', fetch)
    const s = createTokenSource({ url: URL })
    sources.push(s)
    expect((await s.get()).token).toBe('tok-1')
    expect(fetch).toHaveBeenCalledOnce()
  })

  it('needs a url or a fetchToken', () => {
    expect(() => createTokenSource({})).toThrow(TypeError)
  })
})

describe('refresh timing', () => {
  it.each([
    // validity, refresh after: 80 % of the lifetime, or 60 s before expiry if earlier, never before half of it
    [3600, 2880],
    [600, 480],
    [300, 240],
    [120, 60],
    [100, 50],
    [10, 5],
  ])('a %i s token is refreshed after %i s', async (validity, refreshAfter) => {
    server.validitySeconds = validity
    const s = source()
    await s.get()
    await vi.advanceTimersByTimeAsync(refreshAfter * S - 1)
    expect(server.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.calls).toHaveLength(2)
    expect(server.calls[1]!.url).toBe('/api/tokens/refresh')
  })

  it('keeps refreshing, each token on its own schedule, and tells subscribers each new token', async () => {
    const s = source()
    const seen: string[] = []
    s.subscribe((t) => seen.push(t.token))
    expect((await s.get()).token).toBe('tok-1')
    expect(seen).toEqual([]) // the first token goes to get(), not to subscribers
    await vi.advanceTimersByTimeAsync(480 * S)
    await vi.advanceTimersByTimeAsync(480 * S)
    expect(seen).toEqual(['tok-2', 'tok-3'])
    expect((await s.get()).token).toBe('tok-3')
  })

  it('corrects the expiry for the client clock with the Date header', async () => {
    // The server's clock is 10 minutes ahead; no validityInSeconds, so expiresAt and Date are all there is.
    server.clockOffsetMs = 10 * 60 * S
    server.sendValidity = false
    const s = source()
    const token = await s.get()
    // expiresAt is by the local clock: the server's expiry (T0 + 10 min + 600 s) less its 10 minutes ahead.
    expect(token.expiresAt).toEqual(new Date(T0 + 600 * S))
    await vi.advanceTimersByTimeAsync(480 * S - 1)
    expect(server.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.calls).toHaveLength(2)
  })

  it('corrects a server clock that is behind as well', async () => {
    server.clockOffsetMs = -5 * 60 * S // local naive reading: the token expired 5 minutes before it was issued
    server.sendValidity = false
    const s = source()
    expect((await s.get()).expiresAt).toEqual(new Date(T0 + 600 * S))
    await vi.advanceTimersByTimeAsync(480 * S)
    expect(server.calls).toHaveLength(2)
  })

  it('ignores a Date header that does not parse', async () => {
    server.clockOffsetMs = 10 * 60 * S
    server.sendValidity = false
    server.dateHeader = 'not a date'
    const s = source()
    await s.get()
    // Uncorrected: the token seems to live 1200 s, so it is refreshed after 960 s.
    await vi.advanceTimersByTimeAsync(960 * S - 1)
    expect(server.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.calls).toHaveLength(2)
  })

  it('without a Date header, validityInSeconds still bounds the expiry', async () => {
    server.clockOffsetMs = 10 * 60 * S
    server.dateHeader = false
    const s = source()
    await s.get()
    await vi.advanceTimersByTimeAsync(480 * S)
    expect(server.calls).toHaveLength(2)
  })

  it('waits in steps past the timer limit for very long tokens', async () => {
    server.validitySeconds = 60 * 86_400 // 60 days: the refresh is 48 days away, past setTimeout's 24.8
    const s = source()
    await s.get()
    await vi.advanceTimersByTimeAsync(30 * 86_400 * S)
    expect(server.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(18 * 86_400 * S)
    expect(server.calls).toHaveLength(2)
  })

  it('refuses a token answer without a token or with a past expiry', async () => {
    server.script.push(() => response(200, { success: true, data: { token: 'x', expiresAt: new Date(T0 - S).toISOString() } }))
    const s = source()
    await expect(s.get()).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_BAD_RESPONSE', transient: false })
    expect(s.stopped).toBe(true)
  })
})

describe('renewal', () => {
  it('posts { refreshToken } to the refresh route with the same headers', async () => {
    const s = source({ headers: () => ({ authorization: 'Bearer s' }) })
    await s.get()
    const next = await s.refresh()
    expect(next.token).toBe('tok-2')
    expect(server.calls[1]).toMatchObject({ url: '/api/tokens/refresh', body: { refreshToken: 'rt-1' }, headers: { authorization: 'Bearer s' } })
    await s.refresh()
    expect(server.calls[2]!.body).toEqual({ refreshToken: 'rt-2' })
  })

  it.each([
    ['/api/tokens/call', '/api/tokens/refresh'],
    ['https://api.example.com/v1/tokens/user?tenant=a', 'https://api.example.com/v1/tokens/refresh'],
    ['/api/tokens/call/', '/api/tokens/refresh'],
  ])('derives the refresh route from %s', async (url, refreshUrl) => {
    const s = source({ url })
    await s.get()
    await s.refresh()
    expect(server.urls()).toEqual([url, refreshUrl])
  })

  it('posts to refreshUrl when given', async () => {
    const s = source({ refreshUrl: '/renew' })
    await s.get()
    await s.refresh()
    expect(server.urls()).toEqual([URL, '/renew'])
  })

  it('asks the original route again when the answer had no refreshToken', async () => {
    server.refreshTokens = false
    const s = source()
    await s.get()
    await vi.advanceTimersByTimeAsync(480 * S)
    expect(server.calls.map((c) => [c.url, c.body])).toEqual([
      [URL, { callId: 'team-123' }],
      [URL, { callId: 'team-123' }],
    ])
  })

  it('a refresh refused as TOKEN_EXPIRED (session over) falls back once to a fresh request', async () => {
    const s = source()
    await s.get()
    server.script.push(failWith(401, 'ERR_CALLTOKEN_TOKEN_EXPIRED'))
    const next = await s.refresh()
    expect(next.token).toBe('tok-2')
    expect(server.urls()).toEqual([URL, '/api/tokens/refresh', URL])
    expect(s.stopped).toBe(false)
    await s.refresh() // the new session's refresh token
    expect(server.calls[3]).toMatchObject({ url: '/api/tokens/refresh', body: { refreshToken: 'rt-2' } })
  })

  it('a rotated refresh secret (INVALID_TOKEN) falls back the same way', async () => {
    const s = source()
    await s.get()
    server.script.push(failWith(401, 'ERR_CALLTOKEN_INVALID_TOKEN'))
    expect((await s.refresh()).token).toBe('tok-2')
    expect(server.urls()).toEqual([URL, '/api/tokens/refresh', URL])
  })

  it('stops when the fresh request after TOKEN_EXPIRED is refused too', async () => {
    const s = source()
    await s.get()
    server.script.push(failWith(401, 'ERR_CALLTOKEN_TOKEN_EXPIRED'), failWith(401, 'ERR_CALLTOKEN_UNAUTHENTICATED'))
    await expect(s.refresh()).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_UNAUTHENTICATED', status: 401 })
    expect(s.stopped).toBe(true)
    expect(server.calls).toHaveLength(3)
  })

  it('retries the fresh request (not the refresh) when it fails transiently after TOKEN_EXPIRED', async () => {
    const s = source()
    await s.get()
    server.script.push(failWith(401, 'ERR_CALLTOKEN_TOKEN_EXPIRED'), failWith(503, 'ERR_CALLTOKEN_AUTH_UNAVAILABLE'))
    const next = outcome(s.refresh())
    await vi.advanceTimersByTimeAsync(10 * S)
    expect(next.value?.token).toBe('tok-2')
    expect(server.urls()).toEqual([URL, '/api/tokens/refresh', URL, URL])
  })

  it('a refresh refused for the session itself (UNAUTHENTICATED) stops without a fallback', async () => {
    const s = source()
    await s.get()
    server.script.push(failWith(401, 'ERR_CALLTOKEN_UNAUTHENTICATED'))
    await expect(s.refresh()).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_UNAUTHENTICATED' })
    expect(server.calls).toHaveLength(2)
  })

  it('after its token expired, renews with the original request, not the dead refresh token', async () => {
    const s = source()
    await s.get()
    // Every renewal fails until the token has expired.
    server.script.push(...Array.from({ length: 200 }, () => networkError))
    await vi.advanceTimersByTimeAsync(601 * S)
    server.script.length = 0
    const before = server.calls.length
    await s.get()
    expect(server.calls[before]!.url).toBe(URL)
  })
})

describe('transient failures', () => {
  it('retries network errors, 5xx and 429 with exponential backoff and full jitter; get() waits through them', async () => {
    server.script.push(networkError, failWith(500, 'ERR_CALLTOKEN_PROVIDER_FAILED'), failWith(502), failWith(503, 'ERR_CALLTOKEN_AUTH_UNAVAILABLE'))
    const onError = vi.fn()
    const s = source({ onError, random: () => 0.5 })
    const token = outcome(s.get())
    await settle()
    // random 0.5 of 1 s, 2 s, 4 s, 8 s
    for (const [wait, count] of [[500, 2], [1000, 3], [2000, 4], [4000, 5]] as const) {
      await vi.advanceTimersByTimeAsync(wait - 1)
      expect(server.calls).toHaveLength(count - 1)
      await vi.advanceTimersByTimeAsync(1)
      expect(server.calls).toHaveLength(count)
    }
    expect(token.value?.token).toBe('tok-1')
    expect(onError.mock.calls.map(([e]) => [e.code, e.status, e.transient])).toEqual([
      ['ERR_CALLTOKEN_NETWORK', undefined, true],
      ['ERR_CALLTOKEN_PROVIDER_FAILED', 500, true],
      ['ERR_CALLTOKEN_HTTP', 502, true],
      ['ERR_CALLTOKEN_AUTH_UNAVAILABLE', 503, true],
    ])
  })

  it('the jitter is full: random() scales the whole exponential delay, capped at 30 s', async () => {
    server.script.push(...Array.from({ length: 8 }, () => networkError))
    const s = source({ random: () => 0.75, timeoutMs: 600 * S })
    const token = outcome(s.get())
    await settle()
    let at = 0
    for (const [i, ceiling] of [1, 2, 4, 8, 16, 30, 30, 30].entries()) {
      at += 0.75 * ceiling * S
      await vi.advanceTimersByTimeAsync(T0 + at - 1 - Date.now())
      expect(server.calls).toHaveLength(i + 1)
      await vi.advanceTimersByTimeAsync(1)
      expect(server.calls).toHaveLength(i + 2)
    }
    expect(token.value?.token).toBe('tok-1')
  })

  it('honours Retry-After on 429 (seconds)', async () => {
    server.script.push(failWith(429, 'ERR_CALLTOKEN_RATE_LIMITED', { 'Retry-After': '7' }))
    const s = source({ random: () => 0 })
    const token = outcome(s.get())
    await vi.advanceTimersByTimeAsync(7 * S - 1)
    expect(server.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.calls).toHaveLength(2)
    expect(token.value?.token).toBe('tok-1')
  })

  it('honours Retry-After as an HTTP date', async () => {
    server.script.push(failWith(429, 'ERR_CALLTOKEN_RATE_LIMITED', { 'retry-after': new Date(T0 + 12 * S).toUTCString(), date: new Date(T0).toUTCString() }))
    const s = source({ random: () => 0 })
    outcome(s.get())
    await vi.advanceTimersByTimeAsync(12 * S - 1)
    expect(server.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.calls).toHaveLength(2)
  })

  it('get() rejects with a coded timeout after timeoutMs, the last failure as its cause', async () => {
    server.script.push(...Array.from({ length: 100 }, () => failWith(503, 'ERR_CALLTOKEN_AUTH_UNAVAILABLE')))
    const s = source({ timeoutMs: 10 * S })
    const token = outcome(s.get())
    await vi.advanceTimersByTimeAsync(10 * S - 1)
    expect(token.done).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(token.error).toBeInstanceOf(TokenSourceError)
    expect(token.error).toMatchObject({ code: 'ERR_CALLTOKEN_TIMEOUT', transient: true, status: 503 })
    expect(token.error.cause).toMatchObject({ code: 'ERR_CALLTOKEN_AUTH_UNAVAILABLE' })
    expect(s.stopped).toBe(false)
    const attempts = server.calls.length
    expect(attempts).toBeGreaterThan(2)
    // Nothing more goes out once nobody waits.
    await vi.advanceTimersByTimeAsync(120 * S)
    expect(server.calls).toHaveLength(attempts)
  })

  it('a Retry-After longer than timeoutMs ends get() at the timeout without another request', async () => {
    server.script.push(failWith(429, 'ERR_CALLTOKEN_RATE_LIMITED', { 'retry-after': '120' }))
    const s = source({ timeoutMs: 5 * S })
    const first = outcome(s.get())
    await vi.advanceTimersByTimeAsync(5 * S)
    expect(first.error).toMatchObject({ code: 'ERR_CALLTOKEN_TIMEOUT', status: 429 })
    expect(first.error.cause.retryAfterMs).toBe(120 * S)
    // A new get() still waits for Retry-After: no request before it.
    const second = outcome(s.get())
    await vi.advanceTimersByTimeAsync(5 * S)
    expect(second.error).toMatchObject({ code: 'ERR_CALLTOKEN_TIMEOUT' })
    expect(server.calls).toHaveLength(1)
  })

  it('a request that never answers is aborted and get() rejects at timeoutMs', async () => {
    server.script.push(hang)
    const s = source({ timeoutMs: 3 * S })
    const token = outcome(s.get())
    await vi.advanceTimersByTimeAsync(3 * S)
    expect(token.error).toMatchObject({ code: 'ERR_CALLTOKEN_TIMEOUT' })
    expect(server.calls[0]!.signal?.aborted).toBe(true)
    expect(server.inFlight).toBe(0)
  })

  it('a get() joining late extends the retrying, and never waits longer than its own timeoutMs', async () => {
    server.script.push(...Array.from({ length: 8 }, () => networkError))
    const s = source({ timeoutMs: 10 * S, random: () => 0.25 })
    const first = outcome(s.get())
    await vi.advanceTimersByTimeAsync(6 * S)
    const second = outcome(s.get())
    await vi.advanceTimersByTimeAsync(4 * S)
    expect(first.error).toMatchObject({ code: 'ERR_CALLTOKEN_TIMEOUT' })
    expect(second.done).toBe(false)
    await vi.advanceTimersByTimeAsync(6 * S)
    expect(second.done).toBe(true)
  })

  it('after a transient refresh failure the cached token is served until shortly before it expires', async () => {
    const s = source()
    const first = await s.get()
    const errors: string[] = []
    s.subscribe(
      () => {},
      (e) => errors.push(e.code),
    )
    server.script.push(...Array.from({ length: 1000 }, () => failWith(503)))
    await vi.advanceTimersByTimeAsync(480 * S) // the refresh starts failing
    expect(server.calls.length).toBeGreaterThan(1)
    expect(await s.get()).toBe(first)
    await vi.advanceTimersByTimeAsync(109 * S) // 589 s: 11 s left
    expect(await s.get()).toBe(first)
    expect(errors).toEqual([])
    // The last 10 s: get() waits for the renewal instead of handing out a dying token.
    await vi.advanceTimersByTimeAsync(2 * S)
    const late = outcome(s.get())
    await settle()
    expect(late.done).toBe(false)
    await vi.advanceTimersByTimeAsync(40 * S)
    expect(late.error).toMatchObject({ code: 'ERR_CALLTOKEN_TIMEOUT' })
    // Subscribers hear once the token expired unrenewed; the source keeps no dead token and does not stop.
    expect(errors).toEqual(['ERR_CALLTOKEN_TIMEOUT'])
    expect(s.stopped).toBe(false)
  })

  it('a refresh that recovers before expiry delivers the new token', async () => {
    const s = source()
    await s.get()
    const seen: string[] = []
    s.subscribe((t) => seen.push(t.token))
    server.script.push(networkError, networkError)
    await vi.advanceTimersByTimeAsync(480 * S + 2 * S)
    expect(seen).toEqual(['tok-2'])
    expect((await s.get()).token).toBe('tok-2')
  })
})

describe('while anyone subscribes', () => {
  it('a failing first get() rejects at timeoutMs, but the source keeps trying and the subscriber gets the token', async () => {
    server.script.push(...Array.from({ length: 10 }, () => networkError))
    const s = source({ timeoutMs: 5 * S })
    const seen: string[] = []
    s.subscribe((t) => seen.push(t.token))
    const first = outcome(s.get())
    await vi.advanceTimersByTimeAsync(5 * S)
    expect(first.error).toMatchObject({ code: 'ERR_CALLTOKEN_TIMEOUT' })
    await vi.advanceTimersByTimeAsync(300 * S)
    expect(seen).toEqual(['tok-1']) // no get() received it, so it is news to the subscriber
    expect(server.calls).toHaveLength(11)
    expect(await s.get()).toMatchObject({ token: 'tok-1' }) // cached
    expect(server.calls).toHaveLength(11)
  })

  it('an outage longer than the token: one expiry notice, retries at most 30 s apart, then the new token', async () => {
    const s = source({ random: () => 0.999 })
    await s.get()
    const heard: string[] = []
    const seen: string[] = []
    s.subscribe(
      (t) => seen.push(t.token),
      (e) => heard.push(`${e.code}: ${e.message}`),
    )
    server.script.push(...Array.from({ length: 60 }, () => networkError))
    await vi.advanceTimersByTimeAsync(480 * S + 20 * 60 * S) // the refresh, then 20 minutes down
    expect(heard).toEqual(['ERR_CALLTOKEN_TIMEOUT: The token expired before it could be renewed: /api/tokens/call could not be reached: Failed to fetch'])
    // The backoff is capped: ~40 tries in 20 minutes at 30 s.
    expect(server.calls.length).toBeGreaterThan(40)
    expect(server.calls.length).toBeLessThan(60)
    expect(seen).toEqual([])
    server.script.length = 0
    await vi.advanceTimersByTimeAsync(30 * S)
    expect(seen).toEqual(['tok-2'])
    expect(server.calls.at(-1)!.url).toBe(URL) // the old token and its refresh token were dead
  })

  it('gives up at the deadline again once the last subscriber left', async () => {
    server.script.push(...Array.from({ length: 100 }, () => networkError))
    const s = source({ timeoutMs: 5 * S })
    const unsubscribe = s.subscribe(() => {})
    outcome(s.get())
    await vi.advanceTimersByTimeAsync(60 * S)
    const during = server.calls.length
    unsubscribe()
    await vi.advanceTimersByTimeAsync(60 * S)
    const after = server.calls.length
    await vi.advanceTimersByTimeAsync(600 * S)
    expect(server.calls.length).toBe(after)
    expect(after - during).toBeLessThanOrEqual(2)
  })
})

describe('refusals', () => {
  it.each([
    [401, 'ERR_CALLTOKEN_UNAUTHENTICATED'],
    [403, 'ERR_CALLTOKEN_FORBIDDEN'],
    [422, 'ERR_CALLTOKEN_INVALID_INPUT'],
    [400, 'ERR_CALLTOKEN_MALFORMED_BODY'],
    [404, 'ERR_CALLTOKEN_NOT_FOUND'],
    [413, 'ERR_CALLTOKEN_BODY_TOO_LARGE'],
    [415, 'ERR_CALLTOKEN_UNSUPPORTED_MEDIA_TYPE'],
  ])('%i %s is not retried: get() rejects with code and status, subscribers hear it, the source stops', async (status, code) => {
    const issues = [{ path: 'callId', message: 'callId is required' }]
    server.script.push(failWith(status, code, {}, { issues }))
    const onError = vi.fn()
    const s = source({ onError })
    const heard = vi.fn()
    s.subscribe(() => {}, heard)
    const error = await s.get().catch((e) => e)
    expect(error).toBeInstanceOf(TokenSourceError)
    expect(error).toMatchObject({ code, status, transient: false, issues, message: `failed with ${code}` })
    expect(heard).toHaveBeenCalledWith(error)
    expect(onError).toHaveBeenCalledWith(error)
    expect(s.stopped).toBe(true)
    await expect(s.get()).rejects.toBe(error)
    await expect(s.refresh()).rejects.toBe(error)
    await vi.advanceTimersByTimeAsync(3600 * S)
    expect(server.calls).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a 4xx without a JSON body is ERR_CALLTOKEN_HTTP with its status', async () => {
    server.script.push(failWith(404))
    const s = source()
    await expect(s.get()).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_HTTP', status: 404, transient: false })
  })

  it('a refusal of a background refresh stops the source and clears its cache (logged out)', async () => {
    const s = source()
    await s.get()
    const stoppedWhenHeard: boolean[] = []
    const heard = vi.fn(() => void stoppedWhenHeard.push(s.stopped))
    s.subscribe(() => {}, heard)
    server.script.push(failWith(401, 'ERR_CALLTOKEN_UNAUTHENTICATED'))
    await vi.advanceTimersByTimeAsync(480 * S)
    expect(heard).toHaveBeenCalledWith(expect.objectContaining({ code: 'ERR_CALLTOKEN_UNAUTHENTICATED' }))
    expect(stoppedWhenHeard).toEqual([true]) // the subscriber already sees the source stopped
    await expect(s.get()).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_UNAUTHENTICATED' })
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('fetchToken (a route of your own shape)', () => {
  it('is called for every token with an abort signal; url and body are unused', async () => {
    let n = 0
    const fetchToken = vi.fn(async (_: { signal?: AbortSignal }) => ({ token: `own-${++n}`, expiresAt: new Date(Date.now() + 100 * S), roomName: 'r' }))
    const s = source({ url: undefined, fetchToken })
    const token = await s.get()
    expect(token).toEqual({ token: 'own-1', expiresAt: new Date(T0 + 100 * S), roomName: 'r' })
    expect(fetchToken.mock.calls[0]![0].signal).toBeDefined()
    await vi.advanceTimersByTimeAsync(50 * S)
    expect(fetchToken).toHaveBeenCalledTimes(2)
    expect(server.calls).toHaveLength(0)
  })

  it('accepts expiresAt as an ISO string or epoch ms', async () => {
    const answers = [{ token: 'a', expiresAt: new Date(T0 + 60 * S).toISOString() }, { token: 'b', expiresAt: T0 + 60 * S }]
    const s = source({ fetchToken: async () => answers.shift()! })
    expect((await s.get()).expiresAt).toEqual(new Date(T0 + 60 * S))
    expect((await s.refresh()).expiresAt).toEqual(new Date(T0 + 60 * S))
  })

  it('a thrown error with a 4xx status stops the source; one without a status is retried', async () => {
    const outcomes: (() => never)[] = [
      () => {
        throw new Error('offline')
      },
      () => {
        throw Object.assign(new Error('logged out'), { status: 401, code: 'SESSION_GONE' })
      },
    ]
    const s = source({ fetchToken: async () => outcomes.shift()!() })
    const token = outcome(s.get())
    await vi.advanceTimersByTimeAsync(2 * S)
    expect(token.error).toMatchObject({ code: 'SESSION_GONE', status: 401, transient: false })
    expect(s.stopped).toBe(true)
  })
})

describe('browser: visibility and connectivity', () => {
  function browser() {
    const document = Object.assign(new EventTarget(), { visibilityState: 'visible' })
    const window = new EventTarget()
    const navigator = { onLine: true }
    vi.stubGlobal('document', document)
    vi.stubGlobal('navigator', navigator)
    vi.stubGlobal('addEventListener', window.addEventListener.bind(window))
    vi.stubGlobal('removeEventListener', window.removeEventListener.bind(window))
    return {
      hide: () => ((document.visibilityState = 'hidden'), document.dispatchEvent(new Event('visibilitychange'))),
      show: () => ((document.visibilityState = 'visible'), document.dispatchEvent(new Event('visibilitychange'))),
      offline: () => ((navigator.onLine = false), window.dispatchEvent(new Event('offline'))),
      online: () => ((navigator.onLine = true), window.dispatchEvent(new Event('online'))),
      document,
      window,
    }
  }

  it('holds the refresh while hidden and refreshes at once when visible again if due', async () => {
    const page = browser()
    const s = source()
    await s.get()
    page.hide()
    await vi.advanceTimersByTimeAsync(700 * S) // due at 480 s, expired at 600 s: nothing while hidden
    expect(server.calls).toHaveLength(1)
    page.show()
    await settle()
    expect(server.calls).toHaveLength(2)
    expect(server.calls[1]!.url).toBe(URL) // the token expired: a fresh request, not a refresh
  })

  it('a return before the refresh is due re-arms the timer for the same moment', async () => {
    const page = browser()
    const s = source()
    await s.get()
    page.hide()
    await vi.advanceTimersByTimeAsync(100 * S)
    page.show()
    await vi.advanceTimersByTimeAsync(380 * S - 1)
    expect(server.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.calls).toHaveLength(2)
  })

  it('get() still answers while hidden, and starts a due refresh', async () => {
    const page = browser()
    const s = source()
    const first = await s.get()
    page.hide()
    await vi.advanceTimersByTimeAsync(500 * S)
    expect(await s.get()).toBe(first) // still valid
    await settle()
    expect(server.calls).toHaveLength(2) // due, so the app's get() started it
  })

  it('pauseWhenHidden: false keeps refreshing in a background tab', async () => {
    const page = browser()
    const s = source({ pauseWhenHidden: false })
    await s.get()
    page.hide()
    await vi.advanceTimersByTimeAsync(480 * S)
    expect(server.calls).toHaveLength(2)
  })

  it('holds the refresh while offline and catches up on online', async () => {
    const page = browser()
    const s = source()
    await s.get()
    page.offline()
    await vi.advanceTimersByTimeAsync(500 * S)
    expect(server.calls).toHaveLength(1)
    page.online()
    await settle()
    expect(server.calls).toHaveLength(2)
    expect(server.calls[1]!.url).toBe('/api/tokens/refresh')
  })

  it('online ends a backoff wait at once, but not a Retry-After', async () => {
    const page = browser()
    server.script.push(networkError, networkError, failWith(429, 'ERR_CALLTOKEN_RATE_LIMITED', { 'retry-after': '20' }))
    const s = source({ random: () => 0.75 })
    const token = outcome(s.get())
    await vi.advanceTimersByTimeAsync(750) // the first backoff: 750 ms
    expect(server.calls).toHaveLength(2)
    page.online() // the second (1.5 s) is cut short
    await settle()
    expect(server.calls).toHaveLength(3)
    page.online() // Retry-After 20 s still holds
    await vi.advanceTimersByTimeAsync(20 * S - 1)
    expect(server.calls).toHaveLength(3)
    await vi.advanceTimersByTimeAsync(1)
    expect(server.calls).toHaveLength(4)
    expect(token.value?.token).toBe('tok-1')
  })

  it('stop() removes its listeners', async () => {
    const page = browser()
    const remove = vi.spyOn(page.document, 'removeEventListener')
    const s = source()
    await s.get()
    s.stop()
    expect(remove).toHaveBeenCalledWith('visibilitychange', expect.any(Function))
    page.show()
    page.online()
    await vi.advanceTimersByTimeAsync(3600 * S)
    expect(server.calls).toHaveLength(1)
  })
})

describe('stop()', () => {
  it('rejects waiting calls, aborts the request under way and clears every timer', async () => {
    server.script.push(hang)
    const s = source()
    const token = outcome(s.get())
    await settle()
    s.stop()
    await settle()
    expect(token.error).toMatchObject({ code: 'ERR_CALLTOKEN_STOPPED', transient: false })
    expect(server.calls[0]!.signal?.aborted).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
    await expect(s.get()).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_STOPPED' })
    expect(s.stopped).toBe(true)
  })

  it('ends a backoff wait and stops the scheduled refresh', async () => {
    server.script.push(networkError)
    const s = source({ random: () => 0.9 })
    const token = outcome(s.get())
    await settle()
    s.stop()
    await vi.advanceTimersByTimeAsync(3600 * S)
    expect(token.error).toMatchObject({ code: 'ERR_CALLTOKEN_STOPPED' })
    expect(server.calls).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('unsubscribe and stop() silence subscribers', async () => {
    const s = source()
    await s.get()
    const a = vi.fn()
    const b = vi.fn()
    const unsubscribe = s.subscribe(a)
    s.subscribe(b)
    unsubscribe()
    await vi.advanceTimersByTimeAsync(480 * S)
    expect(a).not.toHaveBeenCalled()
    expect(b).toHaveBeenCalledOnce()
    s.stop()
    await vi.advanceTimersByTimeAsync(3600 * S)
    expect(b).toHaveBeenCalledOnce()
  })
})

describe('subscribers', () => {
  it('a throwing subscriber does not keep the others from their token (the error is reported)', async () => {
    const reportError = vi.fn()
    vi.stubGlobal('reportError', reportError)
    const s = source()
    await s.get()
    const boom = new Error('listener bug')
    const after = vi.fn()
    s.subscribe(() => {
      throw boom
    })
    s.subscribe(after)
    await vi.advanceTimersByTimeAsync(480 * S)
    expect(reportError).toHaveBeenCalledWith(boom)
    expect(after).toHaveBeenCalledOnce()
  })
})

describe('never two requests in flight', () => {
  it('holds under a burst of get(), refresh() and due refreshes against a slow, flaky server', async () => {
    server.validitySeconds = 20
    let n = 0
    // Every request takes 700 ms; every third fails.
    server.script.push(
      ...Array.from({ length: 300 }, () => (call: any) =>
        new Promise<any>((resolve) => setTimeout(() => resolve(++n % 3 === 0 ? failWith(503)(call) : server.mint(call)), 700)),
      ),
    )
    const s = source({ random: () => 0.3 })
    const results: ReturnType<typeof outcome>[] = []
    for (let i = 0; i < 120; i++) {
      results.push(outcome(i % 4 === 0 ? s.refresh() : s.get()))
      await vi.advanceTimersByTimeAsync(250 + ((i * 37) % 400))
    }
    await vi.advanceTimersByTimeAsync(60 * S)
    expect(server.calls.length).toBeGreaterThan(30)
    expect(server.maxInFlight).toBe(1)
    expect(results.every((r) => r.done)).toBe(true)
    expect(results.filter((r) => r.error).length).toBe(0)
  })
})
