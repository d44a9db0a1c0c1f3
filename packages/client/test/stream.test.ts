import { createUserToken } from '@calltoken/core'
import { streamTokenProvider, type StreamConnect } from '@calltoken/client/stream'
import { stream } from '@calltoken/stream'
import { StreamVideoClient, type TokenProvider } from '@stream-io/video-client'
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import { createTokenSource, type TokenSource } from '../src/index'
import { failWith, fakeServer, networkError, response, type Handler } from './fake-server'

// The glue against the real @stream-io/video-client: its TokenManager (the code behind connectUser's tokenProvider)
// loads tokens from our provider. Built without a user, the client opens no connection and makes no request.

const provider = stream({ apiKey: 'streamkey', apiSecret: 'clientstreamsecret5d1f0a9k2m7q4w8e3r6t1y5u0i2o9p3a8s7d6' })
let sources: TokenSource<any>[] = []

/** The token route for `ada` with real Stream tokens (the TokenManager checks their user_id). */
const mintStream: Handler = async () => {
  const issued = await createUserToken({ userId: 'ada', validityInSeconds: 600 }, { provider, now: () => Date.now() })
  const { connect, expiresAt, token, validityInSeconds } = issued
  return response(200, { success: true, data: { token, validityInSeconds, expiresAt: expiresAt.toISOString(), ...connect } })
}

function tokenManager() {
  const client = new StreamVideoClient({ apiKey: 'streamkey', options: { logLevel: 'error' } })
  return (client as unknown as { streamClient: { tokenManager: { setTokenOrProvider(p: TokenProvider, user: { id: string }, anonymous: boolean): Promise<void>; loadToken(): Promise<string>; getToken(): string } } })
    .streamClient.tokenManager
}

afterEach(() => {
  for (const s of sources) s.stop()
  sources = []
  vi.useRealTimers()
})

describe('streamTokenProvider', () => {
  it('is the tokenProvider type StreamVideoClient takes', () => {
    const s = createTokenSource<StreamConnect>({ url: '/api/tokens/user' })
    sources.push(s)
    expectTypeOf(streamTokenProvider(s)).toEqualTypeOf<TokenProvider>()
    // Type-checked only: with a user, the client would connect to Stream.
    const construct = () => new StreamVideoClient({ apiKey: 'streamkey', user: { id: 'ada' }, tokenProvider: streamTokenProvider(s) })
    expect(typeof construct).toBe('function')
  })

  it("feeds Stream's TokenManager, and a second ask (Stream's token stopped working) gets a new token", async () => {
    vi.useFakeTimers()
    const server = fakeServer()
    server.mint = mintStream
    const s = createTokenSource<StreamConnect>({ url: '/api/tokens/user', fetch: server.fetch })
    sources.push(s)
    const manager = tokenManager()
    await manager.setTokenOrProvider(streamTokenProvider(s), { id: 'ada' }, false)
    const first = manager.getToken()
    expect(first).toBe((await s.get()).token)
    expect(server.calls).toHaveLength(1)

    await vi.advanceTimersByTimeAsync(5000) // a Stream token is the same JWT within one second
    const second = await manager.loadToken()
    expect(second).not.toBe(first)
    expect(server.calls).toHaveLength(2)
  })

  it('never rejects for transient failures: it waits through network errors, 5xx, 429 and timeouts', async () => {
    vi.useFakeTimers()
    const server = fakeServer()
    server.mint = mintStream
    // Failures past the source's 2 s timeout, so get() itself rejects (transiently) twice before a token comes.
    server.script.push(...Array.from({ length: 12 }, (_, i) => [networkError, failWith(503), failWith(429, 'ERR_CALLTOKEN_RATE_LIMITED', { 'retry-after': '1' })][i % 3]!))
    const s = createTokenSource<StreamConnect>({ url: '/api/tokens/user', fetch: server.fetch, timeoutMs: 2000, random: () => 0.4 })
    sources.push(s)
    const manager = tokenManager()
    let settled: string | Error | undefined
    manager.setTokenOrProvider(streamTokenProvider(s), { id: 'ada' }, false).then(
      () => (settled = manager.getToken()),
      (e: Error) => (settled = e),
    )
    await vi.advanceTimersByTimeAsync(300_000)
    expect(typeof settled).toBe('string')
    expect(server.calls.length).toBe(13)
    expect(server.maxInFlight).toBe(1)
  })

  it('rejects once the source stops on a refusal (the session is over), and Stream reports it', async () => {
    const server = fakeServer()
    server.script.push(failWith(401, 'ERR_CALLTOKEN_UNAUTHENTICATED'))
    const s = createTokenSource<StreamConnect>({ url: '/api/tokens/user', fetch: server.fetch })
    sources.push(s)
    const manager = tokenManager()
    const error = await manager.setTokenOrProvider(streamTokenProvider(s), { id: 'ada' }, false).catch((e: Error) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).cause).toMatchObject({ code: 'ERR_CALLTOKEN_UNAUTHENTICATED', status: 401 })
  })

  it('rejects after source.stop()', async () => {
    const s = createTokenSource({ url: '/api/tokens/user', fetch: fakeServer().fetch })
    s.stop()
    await expect(streamTokenProvider(s)()).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_STOPPED' })
  })

  it('spaces its asks by at least a second even with a source that fails at once', async () => {
    vi.useFakeTimers()
    let asked = 0
    const failing = {
      get: async () => {
        asked++
        throw Object.assign(new Error('down'), { transient: true })
      },
      refresh: async () => {
        throw new Error('unused')
      },
    }
    void streamTokenProvider(failing as never)().catch(() => {})
    await vi.advanceTimersByTimeAsync(10_000)
    expect(asked).toBeLessThanOrEqual(11)
    expect(asked).toBeGreaterThanOrEqual(10)
  })
})
