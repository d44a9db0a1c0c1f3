import type { ContractClient, ContractRequest, ContractResponse } from '@calltoken/test-kit/http'

/** What the suite's client calls: a fetch handler of the binding (with or without fallthrough). */
export type Handler = (request: Request) => Promise<Response | undefined>

/** The answer the contract expects from a framework's error handler, which fetch leaves to its host. */
export const FRAMEWORK_ANSWER: ContractResponse = { status: 500, headers: {}, body: { handledBy: 'framework' } }

/**
 * A `Request` as a client sends it: a string body as bytes (a string `body` would add `text/plain` by itself), an
 * object as JSON with its content type.
 */
export function requestOf(method: string, path: string, { body, headers = {} }: ContractRequest = {}): Request {
  const init: RequestInit = { method, headers: { ...(typeof body === 'object' && body !== null ? { 'content-type': 'application/json' } : {}), ...headers } }
  if (body !== undefined) init.body = new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body))
  return new Request(`http://localhost${path}`, init)
}

/** A response's status, lower-case headers and JSON body (undefined when empty). */
export async function answerOf(response: Response): Promise<ContractResponse> {
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => (headers[name] = value))
  const text = await response.text()
  return { status: response.status, headers, body: text === '' ? undefined : JSON.parse(text) }
}

/**
 * The contract suite's client over a fetch handler, called in process. A rejection is what the host's error
 * handler gets (Hono's onError, the runtime's 500): the suite's framework answer, 500 `{ handledBy: 'framework' }`.
 * A request the handler let fall through is the host's 404.
 */
export function fetchClient(handler: Handler): ContractClient {
  const call = async (method: string, path: string, request?: ContractRequest) => {
    let response: Response | undefined
    try {
      response = await handler(requestOf(method, path, request))
    } catch {
      return FRAMEWORK_ANSWER
    }
    return response ? answerOf(response) : { status: 404, headers: {}, body: undefined }
  }
  return {
    post: (path, request) => call('POST', path, request),
    get: (path, request) => call('GET', path, request),
    close: async () => undefined,
  }
}
