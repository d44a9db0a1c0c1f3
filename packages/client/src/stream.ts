import type { TokenSource, TokenSourceError } from './index'

/** What calltoken's Stream routes answer beside the token: `createTokenSource<StreamConnect>(…)`. */
export interface StreamConnect {
  readonly apiKey: string
  readonly userId: string
  /** `callType:callId`, for `client.call(type, id)`, when the token is for one call. */
  readonly callCid?: string
}

/** Never asks the source again sooner than this after a transient failure, whatever source it is given. */
const MIN_RETRY_MS = 1000

/**
 * The `tokenProvider` StreamVideoClient wants (`new StreamVideoClient({ apiKey, user, tokenProvider })`).
 *
 * Stream calls it to connect and again whenever its token expired or was refused; a rejection fails the
 * connection, so Stream asks that it always resolve. It does: through network errors, 5xx, 429 and timeouts it keeps
 * asking the source (whose own backoff spaces the requests). It rejects only when the source stopped: a refusal
 * (401/403/422…, the session is over) or `source.stop()`. Asked again for the token it handed out last, it gets a
 * new one (Stream asks again because that one no longer works).
 *
 * @example
 * const client = new StreamVideoClient({ apiKey, user: { id: 'alice' }, tokenProvider: streamTokenProvider(source) })
 */
export function streamTokenProvider(source: Pick<TokenSource<object>, 'get' | 'refresh'>): () => Promise<string> {
  let last: string | undefined
  return async () => {
    for (;;) {
      const askedAt = Date.now()
      try {
        let { token } = await source.get()
        if (token === last) ({ token } = await source.refresh())
        return (last = token)
      } catch (error) {
        if ((error as TokenSourceError)?.transient !== true) throw error
        const early = askedAt + MIN_RETRY_MS - Date.now()
        if (early > 0) await new Promise((resolve) => setTimeout(resolve, early))
      }
    }
  }
}
