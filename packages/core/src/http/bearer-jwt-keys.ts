import { authUnavailable, type CallTokenError } from '../errors'

type Jose = typeof import('jose')
type KeyResolver = (protectedHeader: import('jose').JWSHeaderParameters, token: import('jose').FlattenedJWSInput) => Promise<import('jose').CryptoKey>

/** AUTH_UNAVAILABLE (503): the token may be fine, but there are no keys to check it with. */
export function keysUnavailable(cause: unknown): CallTokenError {
  return authUnavailable("The identity provider's keys could not be fetched", cause)
}

/** The cause chain's messages, e.g. `fetch failed: connect ECONNREFUSED 127.0.0.1:4000`. Never holds the token. */
export function causeMessage(error: unknown): string {
  const messages: string[] = []
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const message = e instanceof Error ? e.message || e.name : String(e)
    if (message && !messages.includes(message)) messages.push(message)
  }
  return messages.join(': ')
}

/**
 * jose's remote key set, with every failure to get the keys (connection refused, non-200, invalid JSON, not a
 * key set, an empty one, a timeout) as AUTH_UNAVAILABLE rather than a refused token. A key the set does not hold
 * stays jose's JWKSNoMatchingKey (a wrongly signed token). jose bounds the fetch with `timeoutDuration`; the
 * race below is a second bound for runtimes whose fetch ignores the abort signal.
 * A failed fetch is not cached: the next request fetches again.
 */
export function remoteKeys(jose: Jose, url: URL, timeoutMs: number): KeyResolver {
  const remote = jose.createRemoteJWKSet(url, { timeoutDuration: timeoutMs })
  return async (protectedHeader, token) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from the JWKS endpoint within ${timeoutMs} ms`)), timeoutMs + 1000)
    })
    try {
      return await Promise.race([remote(protectedHeader, token), deadline])
    } catch (error) {
      if (error instanceof jose.errors.JWKSNoMatchingKey || error instanceof jose.errors.JWKSMultipleMatchingKeys) {
        if (remote.jwks()?.keys.length === 0) throw keysUnavailable(new Error('the JWKS endpoint serves no keys'))
        throw error
      }
      throw keysUnavailable(error)
    } finally {
      clearTimeout(timer)
    }
  }
}
