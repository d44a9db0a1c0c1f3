/** One HTTP call the demo made, for the printout: `POST /api/tokens/call → 200`. */
export interface HttpStep {
  readonly method: string
  readonly path: string
  readonly status: number
}

export interface RequestOptions {
  /** A session JWT, sent as `Authorization: Bearer …`. */
  readonly bearer?: string
  /** Sent as JSON. */
  readonly body?: unknown
}

/** JSON over real HTTP to one running app; every call is recorded in `steps`. */
export interface HttpClient {
  readonly steps: readonly HttpStep[]
  /** The parsed JSON answer; throws when the status is not 2xx (the message carries the answer). */
  json<T>(method: 'GET' | 'POST', path: string, options?: RequestOptions): Promise<T>
}

const REQUEST_TIMEOUT_MS = 15_000

export function httpClient(baseUrl: string, signal: AbortSignal): HttpClient {
  const steps: HttpStep[] = []
  return {
    steps,
    async json<T>(method: 'GET' | 'POST', path: string, { bearer, body }: RequestOptions = {}): Promise<T> {
      const headers: Record<string, string> = { accept: 'application/json' }
      if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`
      if (body !== undefined) headers['content-type'] = 'application/json'
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      })
      const text = await response.text()
      steps.push({ method, path, status: response.status })
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`)
      return JSON.parse(text) as T
    },
  }
}
