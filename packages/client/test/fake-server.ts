import { createTokenSource, type FetchLike, type FetchResponse } from '../src/index'

/** One request the source sent. */
export interface Call {
  readonly url: string
  readonly body: any
  readonly headers: Record<string, string>
  readonly signal?: AbortSignal
}

/** Answers one request: a response, a rejected fetch (network error), or a promise of either. */
export type Handler = (call: Call) => FetchResponse | Promise<FetchResponse>

export function response(status: number, body: unknown, headers: Record<string, string> = {}): FetchResponse {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
  return {
    status,
    headers: { get: (name) => lower[name.toLowerCase()] ?? null },
    json: async () => (typeof body === 'string' ? JSON.parse(body) : body),
  }
}

export const failWith =
  (status: number, code?: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): Handler =>
  () =>
    response(status, code ? { success: false, error: `failed with ${code}`, code, ...extra } : '<html>no json</html>', headers)

export const networkError: Handler = () => Promise.reject(new TypeError('Failed to fetch'))

/** Never answers; rejects like fetch when the request is aborted. */
export const hang: Handler = (call) =>
  new Promise((_, reject) => call.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))

/**
 * The token routes as a fake fetch: /tokens/user|call mint `tok-N` (with `rt-N` unless refreshTokens is off),
 * /tokens/refresh checks the refresh token. `script` handlers answer the next requests first, in order.
 * Counts requests in flight: no test may ever see two.
 */
export function fakeServer() {
  let minted = 0
  let inFlight = 0
  const state = {
    calls: [] as Call[],
    script: [] as Handler[],
    maxInFlight: 0,
    validitySeconds: 600,
    refreshTokens: true,
    /** The server clock minus the test's clock. */
    clockOffsetMs: 0,
    dateHeader: true as boolean | string,
    sendValidity: true,
    mint: (() => {
      minted++
      const serverNow = Date.now() + state.clockOffsetMs
      const data = {
        token: `tok-${minted}`,
        userId: 'ada',
        callId: 'team-123',
        ...(state.sendValidity ? { validityInSeconds: state.validitySeconds } : {}),
        expiresAt: new Date(serverNow + state.validitySeconds * 1000).toISOString(),
        ...(state.refreshTokens ? { refreshToken: `rt-${minted}` } : {}),
        apiKey: 'key-1',
      }
      const date = state.dateHeader === true ? new Date(serverNow).toUTCString() : state.dateHeader
      return response(200, { success: true, data }, date ? { date } : {})
    }) as Handler,
    fetch: (async (url, init) => {
      inFlight++
      state.maxInFlight = Math.max(state.maxInFlight, inFlight)
      const call: Call = { url, body: JSON.parse(init.body), headers: init.headers, signal: init.signal }
      state.calls.push(call)
      try {
        return await (state.script.shift() ?? state.mint)(call)
      } finally {
        inFlight--
      }
    }) as FetchLike,
    get inFlight() {
      return inFlight
    },
    urls: () => state.calls.map((c) => c.url),
  }
  return state
}

/** A promise to resolve or reject from outside, as a handler. */
export function deferred() {
  let resolve!: (r: FetchResponse) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<FetchResponse>((res, rej) => ((resolve = res), (reject = rej)))
  return { handler: (() => promise) as Handler, resolve, reject }
}

/**
 * For the SDK glue tests: a source for `/api/tokens/call { callId: 'standup' }` on a fake server whose routes answer
 * with `mint`; `stopAll()` (after each test) stops every source made so far.
 */
export function glueSources() {
  const made: { stop(): void }[] = []
  return {
    setup<C extends object>(mint: Handler) {
      const server = fakeServer()
      server.mint = mint
      const source = createTokenSource<C>({ url: '/api/tokens/call', body: { callId: 'standup' }, fetch: server.fetch })
      made.push(source)
      return { server, source }
    },
    stopAll() {
      for (const source of made.splice(0)) source.stop()
    },
  }
}
