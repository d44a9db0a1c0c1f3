import type { RateLimitHit } from './rate-limit-store'
import type { TokenRouteLogger } from './types'

/** How long a request waits for the store by default: a Redis round trip is a millisecond; a hung one never ends. */
export const RATE_LIMIT_STORE_TIMEOUT_MS = 250

/** During an outage the store is asked again at most this often; the requests between get the outage answer at once. */
export const RATE_LIMIT_PROBE_INTERVAL_MS = 1000

/** What a limiter answers for a hit the store could not count: refuse (fail closed) or let it through uncounted. */
export type OutageAnswer = 'unavailable' | 'uncounted'

export interface OutageGuardOptions {
  readonly timeoutMs: number
  readonly failOpen: boolean
  readonly logger?: TokenRouteLogger
  /** Scrubs credentials from the store's error message before it is logged. */
  readonly redact: (text: string) => string
}

/**
 * Bounds every store hit by `timeoutMs` and turns a failure (a rejection, a throw, no answer in time) into the
 * configured answer. During an outage one request a second probes the store and the others are answered at once,
 * so a dead Redis costs no request the timeout and recovery is seen within a second. An outage is logged once when
 * it starts and once when the store answers again, never per request.
 */
export function createOutageGuard({ timeoutMs, failOpen, logger, redact }: OutageGuardOptions) {
  let down = false
  let probing = false
  let lastProbeAt = 0
  const answer: OutageAnswer = failOpen ? 'uncounted' : 'unavailable'

  const failed = (error: unknown): OutageAnswer => {
    probing = false
    if (!down) {
      down = true
      lastProbeAt = Date.now() // this failure was the outage's first probe
      const cause = redact(String((error as Error | undefined)?.message ?? error))
      const then = failOpen ? 'requests go through uncounted' : 'token requests are answered 503'
      logger?.error({ cause, timeoutMs }, `The rate-limit store failed or did not answer within ${timeoutMs} ms; until it answers again, ${then}`)
    }
    return answer
  }
  const answered = (hit: RateLimitHit): RateLimitHit => {
    probing = false
    if (down) {
      down = false
      const report = logger?.warn ?? logger?.error
      report?.call(logger, {}, 'The rate-limit store answers again; token requests are counted again')
    }
    return hit
  }

  return function guard(hit: () => RateLimitHit | PromiseLike<RateLimitHit>): RateLimitHit | OutageAnswer | Promise<RateLimitHit | OutageAnswer> {
    if (down) {
      // Real time, not the routes' `now` (which tests and apps may pin): this paces requests to a server.
      if (probing || Date.now() - lastProbeAt < RATE_LIMIT_PROBE_INTERVAL_MS) return answer
      probing = true
      lastProbeAt = Date.now()
    }
    let pending: RateLimitHit | PromiseLike<RateLimitHit>
    try {
      pending = hit()
    } catch (error) {
      return failed(error)
    }
    // The memory store answers synchronously: no promise, no timer, no turn of the event loop on the hot path.
    if (typeof (pending as PromiseLike<RateLimitHit>)?.then !== 'function') return answered(pending as RateLimitHit)
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(failed(new Error(`no answer within ${timeoutMs} ms`))), timeoutMs)
      Promise.resolve(pending).then(
        (value) => (clearTimeout(timer), resolve(answered(value))),
        (error) => (clearTimeout(timer), resolve(failed(error))),
      )
    })
  }
}
