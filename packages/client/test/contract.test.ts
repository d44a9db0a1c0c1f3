import { createTokenHandler } from '@calltoken/core/http'
import { stream } from '@calltoken/stream'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTokenSource, type FetchLike, type TokenSource } from '../src/index'
import type { StreamConnect } from '../src/stream'
import { response } from './fake-server'

// The client against the real shared handler of the Express and Fastify bindings (its routes, envelope, refresh
// tokens and session deadline), bridged by a fetch that calls it in process, under fake timers.

const provider = stream({ apiKey: 'clientkey', apiSecret: 'clientstreamsecret5d1f0a9k2m7q4w8e3r6t1y5u0i2o9p3a8s7d6' })
const S = 1000

let signedIn: string | null
let sources: TokenSource<any>[] = []
let inFlight = 0
let maxInFlight = 0
const requests: { path: string; status: number; code?: string }[] = []

const handler = createTokenHandler({
  provider,
  authenticate: (req: { headers: Record<string, string> }) => {
    const user = /^Bearer (\w+)$/.exec(req.headers.authorization ?? '')?.[1]
    return user && user === signedIn ? { userId: user } : null
  },
  refresh: { sessionSeconds: 900 },
  rateLimit: false,
  now: () => Date.now(), // the faked clock, read per request
})

const fetchViaHandler: FetchLike = async (url, init) => {
  inFlight++
  maxInFlight = Math.max(maxInFlight, inFlight)
  try {
    await Promise.resolve() // an answer is never synchronous
    const path = new globalThis.URL(url, 'http://app.test').pathname
    const route = ({ '/api/tokens/user': 'user', '/api/tokens/call': 'call', '/api/tokens/refresh': 'refresh' } as const)[path]
    if (!route) return response(404, 'not found')
    const headers = Object.fromEntries(Object.entries(init.headers).map(([k, v]) => [k.toLowerCase(), v]))
    const answer = await handler.builtInRoute(route)({ headers, rawBody: init.body, req: { headers } })
    const body = answer.body as { code?: string }
    requests.push({ path, status: answer.status, code: body.code })
    return response(answer.status, answer.body, { ...answer.headers, date: new Date().toUTCString() })
  } finally {
    inFlight--
  }
}

function source() {
  const created = createTokenSource<StreamConnect>({
    url: '/api/tokens/call',
    body: { callId: 'standup', validityInSeconds: 300 },
    headers: () => ({ authorization: `Bearer ${signedIn ?? 'nobody'}` }),
    fetch: fetchViaHandler,
  })
  sources.push(created)
  return created
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2030, 5, 1, 9, 0, 0) })
  signedIn = 'ada'
  requests.length = 0
  maxInFlight = 0
})

afterEach(() => {
  for (const s of sources) s.stop()
  sources = []
  expect(maxInFlight).toBeLessThanOrEqual(1)
  vi.useRealTimers()
})

describe('against the real token handler', () => {
  it('gets a call token with the connect fields, and renews it with the refresh token ahead of expiry', async () => {
    const s = source()
    const first = await s.get()
    expect(first).toMatchObject({ userId: 'ada', callId: 'standup', callType: 'default', validityInSeconds: 300, apiKey: 'clientkey', callCid: 'default:standup' })
    expect(first.expiresAt.getTime()).toBe(Date.now() + 300 * S)
    expect(first).not.toHaveProperty('refreshToken')

    const renewed: string[] = []
    s.subscribe((t) => renewed.push(t.token))
    await vi.advanceTimersByTimeAsync(240 * S) // 80 % of 300 s
    expect(requests.map((r) => r.path)).toEqual(['/api/tokens/call', '/api/tokens/refresh'])
    expect(renewed).toHaveLength(1)
    const second = await s.get()
    expect(second.token).not.toBe(first.token)
    expect(second).toMatchObject({ userId: 'ada', callId: 'standup', callCid: 'default:standup' })
  })

  it('at the end of the session the refresh is TOKEN_EXPIRED and a fresh request starts a new one', async () => {
    const s = source()
    await s.get()
    const renewed: string[] = []
    s.subscribe((t) => renewed.push(t.token))
    await vi.advanceTimersByTimeAsync(1200 * S) // past the 900 s session
    const codes = requests.map((r) => `${r.path} ${r.status}${r.code ? ` ${r.code}` : ''}`)
    expect(codes).toContain('/api/tokens/refresh 401 ERR_CALLTOKEN_TOKEN_EXPIRED')
    const expired = codes.indexOf('/api/tokens/refresh 401 ERR_CALLTOKEN_TOKEN_EXPIRED')
    expect(codes[expired + 1]).toBe('/api/tokens/call 200')
    expect(s.stopped).toBe(false)
    expect(renewed.length).toBeGreaterThanOrEqual(4)
  })

  it('a session that ended (the user signed out) stops the source with the server code', async () => {
    const s = source()
    await s.get()
    const heard = vi.fn()
    s.subscribe(() => {}, heard)
    signedIn = null
    await vi.advanceTimersByTimeAsync(240 * S)
    expect(heard).toHaveBeenCalledWith(expect.objectContaining({ code: 'ERR_CALLTOKEN_UNAUTHENTICATED', status: 401, transient: false }))
    expect(s.stopped).toBe(true)
    await vi.advanceTimersByTimeAsync(3600 * S)
    expect(requests).toHaveLength(2)
  })

  it('validation errors come back with their issues and are not retried', async () => {
    const s = createTokenSource({ url: '/api/tokens/call', body: {}, headers: () => ({ authorization: 'Bearer ada' }), fetch: fetchViaHandler })
    sources.push(s)
    const error = await s.get().catch((e) => e)
    expect(error).toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_INPUT', status: 422, transient: false })
    expect(error.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'callId' })]))
    expect(requests).toHaveLength(1)
  })
})
