/**
 * @calltoken/client: a token source for browsers, React Native and workers. It fetches a token from calltoken's
 * token routes (or your own `fetchToken`), caches it, refreshes it ahead of expiry with the route's refreshToken,
 * retries transient failures with backoff, and stops for good on a refusal. No dependencies, no Node APIs.
 */

/**
 * The route's `data`, the provider's connect fields beside the token; the refreshToken stays inside. `expiresAt` is
 * when the token expires by this device's clock: corrected for the server's Date header and never later than the
 * request's start plus `validityInSeconds`, so `expiresAt - Date.now()` is the time left even on a clock that is off.
 */
export type ClientToken<Connect extends object = Record<string, unknown>> = Readonly<
  Connect & {
    token: string
    expiresAt: Date
    userId?: string
    callId?: string
    callType?: string
    role?: string
    validityInSeconds?: number
  }
>

/** What `fetchToken` resolves with: at least the token and when it expires (a Date, an ISO string or epoch ms). */
export interface TokenAnswer {
  readonly token: string
  readonly expiresAt: Date | string | number
  /** Lets the source renew with POST refreshUrl `{ refreshToken }` (only when `refreshUrl` is set). */
  readonly refreshToken?: string
  /** When present, the expiry is never taken later than the request's start plus this (clock-skew proof). */
  readonly validityInSeconds?: number
  readonly [field: string]: unknown
}

/** The part of a fetch Response the source reads. */
export interface FetchResponse {
  readonly status: number
  readonly headers: { get(name: string): string | null }
  json(): Promise<unknown>
}

export type FetchLike = (
  url: string,
  init: {
    method: string
    headers: Record<string, string>
    body: string
    credentials?: 'omit' | 'same-origin' | 'include'
    signal?: AbortSignal
  },
) => Promise<FetchResponse>

export interface TokenSourceOptions {
  /** The token route, e.g. `/api/tokens/call`. Required unless `fetchToken` is given. */
  readonly url?: string
  /** Posted as JSON as given (default `{}`), e.g. `{ callId: 'team-123' }`. */
  readonly body?: unknown
  /** Extra request headers, asked for before every request (sync or async), e.g. the session's Authorization. */
  readonly headers?: () => Record<string, string> | Promise<Record<string, string>>
  /** Where `{ refreshToken }` is posted. Default: `url` with its last path segment replaced by `refresh`. */
  readonly refreshUrl?: string
  /** A route of your own shape: called for every token instead of posting to `url`. */
  readonly fetchToken?: (init: { signal?: AbortSignal }) => Promise<TokenAnswer>
  /** Default `globalThis.fetch`, looked up per request. */
  readonly fetch?: FetchLike
  /** fetch's `credentials` (e.g. `include` for session cookies on another origin). */
  readonly credentials?: 'omit' | 'same-origin' | 'include'
  /** get() and refresh() never wait longer; each request is aborted after it too. Default 30 000. */
  readonly timeoutMs?: number
  /** The clock, in epoch ms. Default Date.now. */
  readonly now?: () => number
  /** For the backoff's jitter, in [0, 1). Default Math.random. */
  readonly random?: () => number
  /** Every failure: each failed request (`transient` says whether it is retried) and each give-up. For logs. */
  readonly onError?: (error: TokenSourceError) => void
  /** Hold the scheduled refresh while the page is hidden (it catches up when visible). Default true. */
  readonly pauseWhenHidden?: boolean
}

export interface TokenSource<Connect extends object = Record<string, unknown>> {
  /** A token valid for a while: the cached one, or the answer of the request this call starts or joins. */
  get(): Promise<ClientToken<Connect>>
  /** A new token now, whatever the cache holds (joins a request already under way). */
  refresh(): Promise<ClientToken<Connect>>
  /**
   * `onToken` gets every new token but the first one a get() received (so: the refreshes). `onError` gets a refusal
   * (the source has stopped) and ERR_CALLTOKEN_TIMEOUT when the held token expired before it could be renewed.
   * While anyone subscribes, the source keeps retrying (backoff up to 30 s) until it has a token again.
   */
  subscribe(onToken: (token: ClientToken<Connect>) => void, onError?: (error: TokenSourceError) => void): () => void
  /** Clears every timer and listener, aborts the request under way; get() then rejects with ERR_CALLTOKEN_STOPPED. */
  stop(): void
  /** True after stop() or a refusal. */
  readonly stopped: boolean
}

/**
 * Every failure of a token source. `code` is the server's (`ERR_CALLTOKEN_UNAUTHENTICATED`…) when it sent one.
 *
 * @example
 * source.subscribe(render, (error) => {
 *   if (error.code === 'ERR_CALLTOKEN_UNAUTHENTICATED') location.assign('/login') // refused: the source stopped
 *   else if (error.transient) showBanner('Reconnecting…') // the source retries by itself
 * })
 */
export class TokenSourceError extends Error {
  /** The server's code, or ERR_CALLTOKEN_NETWORK, _HTTP, _TIMEOUT, _BAD_RESPONSE or _STOPPED. */
  declare readonly code: string
  /** True when retrying may help: network errors, 5xx, 429, timeouts. */
  declare readonly transient: boolean
  /** The HTTP status, when there was an answer. */
  declare readonly status?: number
  /** The server's field-level problems (422). */
  declare readonly issues?: readonly { readonly path: string; readonly message: string }[]
  /** From Retry-After: no request goes out before it has passed. */
  declare readonly retryAfterMs?: number

  constructor(
    code: string,
    message: string,
    transient: boolean,
    status?: number,
    issues?: TokenSourceError['issues'],
    retryAfterMs?: number,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'TokenSourceError'
    Object.assign(this, { code, transient, status, issues, retryAfterMs })
  }
}

interface Held {
  value: ClientToken<any>
  /** Local epoch ms, corrected for the server's clock and capped by validityInSeconds. */
  expiry: number
  refreshAt: number
  /** get() serves the cache until then. */
  usableUntil: number
  refreshToken?: string
}

interface Chain {
  p: Promise<ClientToken<any>>
  /** Epoch ms after which the chain stops retrying. */
  d: number
  /** Ends the current backoff wait. */
  w?: () => void
  ctrl?: AbortController
}

/** What the source touches outside the language, all optional: Node, React Native and workers lack some. */
interface Globals {
  document?: { visibilityState?: string } & EventSource
  navigator?: { onLine?: boolean }
  reportError?: (error: unknown) => void
  addEventListener?: EventSource['addEventListener']
  removeEventListener?: EventSource['removeEventListener']
}
interface EventSource {
  addEventListener?(type: string, listener: () => void): void
  removeEventListener?(type: string, listener: () => void): void
}

const BASE_MS = 1000
const MAX_BACKOFF_MS = 30_000
/** setTimeout's limit; a longer wait is taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1
/** A refresh token the routes no longer accept (session over, rotated secret): ask the original route again. */
const REFRESH_REFUSED = ['ERR_CALLTOKEN_TOKEN_EXPIRED', 'ERR_CALLTOKEN_INVALID_TOKEN']
const noop = () => {}

/**
 * A source of fresh tokens from a token route. The first get() fetches; the source then refreshes ahead of expiry
 * (80 % of the lifetime or 60 s before expiry, whichever is earlier, never before half of it) until stop().
 *
 * @throws TypeError when neither `url` nor `fetchToken` is given.
 * @example
 * const source = createTokenSource<StreamCallConnect>({
 *   url: '/api/tokens/call',
 *   body: { callId: 'standup' },
 *   headers: () => ({ authorization: `Bearer ${session.jwt}` }),
 * })
 * const { token, connect } = await source.get()
 */
export function createTokenSource<Connect extends object = Record<string, unknown>>(options: TokenSourceOptions): TokenSource<Connect> {
  const { url, body, headers, fetchToken, credentials, onError, timeoutMs = 30_000, now = Date.now, random = Math.random } = options
  if (!url && !fetchToken) throw new TypeError('createTokenSource needs a url or a fetchToken')
  const refreshUrl = options.refreshUrl ?? url?.replace(/\/[^/?#]*\/?([?#].*)?$/, '/refresh')
  const doFetch: FetchLike = options.fetch ?? ((u, init) => fetch(u, init))
  const g = globalThis as unknown as Globals
  const doc = g.document
  const subscribers = new Set<[(token: ClientToken<Connect>) => void, ((error: TokenSourceError) => void) | undefined]>()
  const waiters = new Set<(error: TokenSourceError) => void>()
  let current: Held | undefined
  let chain: Chain | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let stoppedWith: TokenSourceError | undefined
  let had = false
  let last: TokenSourceError | undefined
  let failures = 0
  /** No request before nextAt (backoff); floorAt is the part of it Retry-After imposed. */
  let nextAt = 0
  let floorAt = 0

  const error = (code: string, message: string, transient: boolean, status?: number, cause?: unknown) =>
    new TokenSourceError(code, message, transient, status, undefined, undefined, cause)
  const timeoutError = () =>
    error('ERR_CALLTOKEN_TIMEOUT', `No token within ${timeoutMs} ms${last ? `: ${last.message}` : ''}`, true, last?.status, last)
  const each = <A extends unknown[]>(fn: ((...args: A) => void) | undefined, ...args: A) => {
    try {
      fn?.(...args)
    } catch (thrown) {
      ;(g.reportError ?? console.error)(thrown)
    }
  }
  const paused = () => (options.pauseWhenHidden !== false && doc?.visibilityState === 'hidden') || g.navigator?.onLine === false

  /** A thrown value as a TokenSourceError: a `status` is judged as an HTTP answer, anything else as a network error. */
  function toError(thrown: any): TokenSourceError {
    if (thrown instanceof TokenSourceError) return thrown
    const status = typeof thrown?.status === 'number' ? thrown.status : undefined
    const transient = typeof thrown?.transient === 'boolean' ? thrown.transient : status === undefined || retryable(status)
    const code = typeof thrown?.code === 'string' ? thrown.code : status ? 'ERR_CALLTOKEN_HTTP' : 'ERR_CALLTOKEN_NETWORK'
    return error(code, String(thrown?.message ?? thrown), transient, status, thrown)
  }

  /** The answer as a held token, with its local expiry and refresh time. */
  function hold(data: any, sentAt: number, offset: number): Held {
    const receivedAt = now()
    let expiry = +new Date(data?.expiresAt) - offset
    if (data?.validityInSeconds > 0) expiry = Math.min(expiry, sentAt + data.validityInSeconds * 1000)
    const life = expiry - receivedAt
    if (typeof data?.token !== 'string' || !data.token || !(life > 0)) {
      throw error('ERR_CALLTOKEN_BAD_RESPONSE', 'The answer has no token, or an expiresAt that is missing or past', false)
    }
    const { refreshToken, ...rest } = data
    return {
      // By this device's clock, so `expiresAt - Date.now()` is the time left even on a clock that is off.
      value: Object.freeze({ ...rest, expiresAt: new Date(expiry) }),
      expiry,
      refreshAt: receivedAt + Math.max(life / 2, Math.min(life * 0.8, life - 60_000)),
      usableUntil: expiry - Math.min(life / 10, 10_000),
      refreshToken: typeof refreshToken === 'string' ? refreshToken : undefined,
    }
  }

  async function post(to: string, payload: unknown, signal?: AbortSignal): Promise<Held> {
    const extra = headers ? await headers() : {}
    const sentAt = now()
    let res: FetchResponse
    try {
      res = await doFetch(to, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...extra },
        body: JSON.stringify(payload),
        credentials,
        signal,
      })
    } catch (thrown) {
      throw error('ERR_CALLTOKEN_NETWORK', `${to} could not be reached: ${(thrown as Error)?.message ?? thrown}`, true, undefined, thrown)
    }
    // offset = server time − local time at receipt; only from a Date header that parses.
    const serverDate = Date.parse(res.headers.get('date') ?? '')
    const offset = serverDate === serverDate ? serverDate - now() : 0
    const { status } = res
    let json: any
    try {
      json = await res.json()
    } catch {
      // not JSON: judged by its status alone
    }
    if (status > 199 && status < 300) return hold(json?.success === true ? json.data : json, sentAt, offset)
    const header = res.headers.get('retry-after')
    const retryAfterMs = header ? Math.max(0, /^\d+$/.test(header) ? +header * 1000 : Date.parse(header) - offset - now()) || 0 : undefined
    const code = typeof json?.code === 'string' ? json.code : 'ERR_CALLTOKEN_HTTP'
    throw new TokenSourceError(code, typeof json?.error === 'string' ? json.error : `HTTP ${status} from ${to}`, retryable(status), status, json?.issues, retryAfterMs)
  }

  /** One try: the refresh route with the refreshToken while it is valid, else (or once it is refused) the original. */
  async function request(signal?: AbortSignal): Promise<Held> {
    const held = current
    if (held?.refreshToken && refreshUrl && now() < held.expiry) {
      try {
        return await post(refreshUrl, { refreshToken: held.refreshToken }, signal)
      } catch (thrown) {
        const refused = thrown as TokenSourceError
        if (refused.status !== 401 || !REFRESH_REFUSED.includes(refused.code)) throw thrown
        held.refreshToken = undefined
      }
    }
    if (!fetchToken) return post(url!, body ?? {}, signal)
    const sentAt = now()
    return hold(await fetchToken({ signal }), sentAt, 0)
  }

  /** One request, aborted (and given up on, even if fetchToken ignores the signal) after timeoutMs. */
  function attempt(c: Chain): Promise<Held> {
    const ctrl = typeof AbortController === 'function' ? new AbortController() : undefined
    c.ctrl = ctrl
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        ctrl?.abort()
        reject(error('ERR_CALLTOKEN_TIMEOUT', `No answer within ${timeoutMs} ms`, true))
      }, timeoutMs)
      request(ctrl?.signal)
        .then(resolve, reject)
        .finally(() => clearTimeout(t))
    })
  }

  const sleep = (c: Chain, ms: number) =>
    ms > 0 &&
    new Promise<void>((resolve) => {
      const t = setTimeout((c.w = () => (clearTimeout(t), (c.w = undefined), resolve())), Math.min(ms, MAX_TIMER_MS))
    })

  /** Requests one at a time until a token, a refusal, stop(), or the deadline (none while anyone subscribes). */
  async function run(c: Chain): Promise<ClientToken<Connect>> {
    let final: TokenSourceError
    for (;;) {
      await sleep(c, (subscribers.size ? nextAt : Math.min(nextAt, c.d)) - now())
      if (stoppedWith) throw stoppedWith
      const t = now()
      if (t >= c.d && !subscribers.size) {
        final = timeoutError()
        break
      }
      if (t < nextAt) continue // woken early, or the deadline moved: wait on
      let failed: TokenSourceError
      try {
        const held = await attempt(c)
        if (stoppedWith) throw stoppedWith
        failures = nextAt = floorAt = 0
        if (chain === c) chain = undefined
        current = held
        schedule()
        // Subscribers get every token but the first one a caller of get() received.
        const replaced = had || !waiters.size
        had = true
        if (replaced) for (const [onToken] of subscribers) each(onToken, held.value)
        return held.value
      } catch (thrown) {
        failed = toError(thrown)
      }
      if (stoppedWith) throw stoppedWith
      last = failed
      each(onError, failed)
      if (!failed.transient) {
        final = failed
        break
      }
      if (current && now() >= current.expiry) {
        current = undefined
        const lost = error('ERR_CALLTOKEN_TIMEOUT', `The token expired before it could be renewed: ${failed.message}`, true, failed.status, failed)
        for (const [, onFailed] of subscribers) each(onFailed, lost)
      }
      floorAt = now() + (failed.retryAfterMs ?? 0)
      nextAt = Math.max(floorAt, now() + random() * Math.min(MAX_BACKOFF_MS, BASE_MS * 2 ** failures++))
    }
    if (chain === c) chain = undefined
    if (final.transient) each(onError, final)
    else {
      // Stopped before anyone hears of it, so a subscriber that looks at `stopped` sees true.
      const told = [...subscribers]
      shutdown(final)
      for (const [, onFailed] of told) each(onFailed, final)
    }
    throw final
  }

  /** Starts the chain, or joins the one under way and keeps it going until `until` at least. */
  function start(until: number): Promise<ClientToken<Connect>> {
    if (!chain) {
      clearTimeout(timer)
      const c = (chain = { d: until } as Chain)
      c.p = run(c)
      c.p.catch(noop)
    }
    chain.d = Math.max(chain.d, until)
    return chain.p
  }

  /** The caller's view of the chain: never longer than timeoutMs, and rejected at once by stop(). */
  function wait(p: Promise<ClientToken<Connect>>): Promise<ClientToken<Connect>> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => (waiters.delete(reject), reject(timeoutError())), timeoutMs)
      const settle = (fn: (value: any) => void) => (value: any) => (clearTimeout(t), waiters.delete(reject), fn(value))
      waiters.add(reject)
      p.then(settle(resolve), settle(reject))
    })
  }

  /** Arms the refresh timer, or refreshes now when due; nothing while paused, stopped, tokenless or requesting. */
  function schedule(): void {
    clearTimeout(timer)
    timer = undefined
    if (stoppedWith || !current || chain || paused()) return
    const delay = current.refreshAt - now()
    if (delay > 0) timer = setTimeout(schedule, Math.min(delay, MAX_TIMER_MS))
    else start(Math.max(current.expiry, now() + timeoutMs))
  }

  function online(): void {
    // Back online: the backoff's own wait is over (Retry-After is not).
    nextAt = floorAt
    chain?.w?.()
    schedule()
  }

  const events: [EventSource | undefined, string, () => void][] = [
    [doc, 'visibilitychange', schedule],
    [g, 'online', online],
    [g, 'offline', schedule],
  ]
  for (const [target, type, listener] of events) target?.addEventListener?.(type, listener)

  function shutdown(reason: TokenSourceError): void {
    if (stoppedWith) return
    stoppedWith = reason
    current = undefined
    clearTimeout(timer)
    for (const [target, type, listener] of events) target?.removeEventListener?.(type, listener)
    chain?.ctrl?.abort()
    chain?.w?.()
    for (const reject of waiters) reject(reason)
    waiters.clear()
    subscribers.clear()
  }

  return {
    get() {
      if (stoppedWith) return Promise.reject(stoppedWith)
      const held = current
      const t = now()
      if (held && t < held.usableUntil) {
        if (t >= held.refreshAt && !chain) start(Math.max(held.expiry, t + timeoutMs)) // due while paused: the app is here
        return Promise.resolve(held.value)
      }
      return wait(start(t + timeoutMs))
    },
    refresh() {
      return stoppedWith ? Promise.reject(stoppedWith) : wait(start(now() + timeoutMs))
    },
    subscribe(onToken, onFailed) {
      const entry: [typeof onToken, typeof onFailed] = [onToken, onFailed]
      if (!stoppedWith) subscribers.add(entry)
      return () => void subscribers.delete(entry)
    },
    stop() {
      shutdown(error('ERR_CALLTOKEN_STOPPED', 'The token source was stopped', false))
    },
    get stopped() {
      return !!stoppedWith
    },
  }
}

/** Network errors, 5xx and 429 are worth retrying; any other 4xx is a refusal. */
function retryable(status: number): boolean {
  return status > 499 || status === 429
}
