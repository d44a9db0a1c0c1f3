import { BODY_LIMIT_BYTES, type TokenHttpRequest, type TokenHttpResponse } from '@calltoken/core/http'

/** What `readBody` found: the bytes, no body, a body the host already read, or one over the limit. */
export type BodyRead = Pick<TokenHttpRequest, 'rawBody' | 'parsedBody'> | typeof TOO_LARGE

export const TOO_LARGE = Symbol('body too large')

// Stands for a body the host consumed before the routes (a middleware's c.req.json()): the handler refuses it with
// INVALID_CONFIG, logged, as it refuses a body that a global express.json() parsed.
const CONSUMED = { parsedBody: Object.freeze({ consumedBy: 'the host app, before the token routes' }) }
const NO_BODY = {}

/**
 * The body's bytes, read no further than the limit: a `Content-Length` over it is refused unread, and a stream is
 * read chunk by chunk and cancelled as soon as it passes the limit, so a client cannot make the server buffer more.
 */
export async function readBody(request: Request, limit = BODY_LIMIT_BYTES): Promise<BodyRead> {
  if (request.bodyUsed) return CONSUMED
  const { body } = request
  if (body === null) return NO_BODY
  const declared = request.headers.get('content-length')
  if (declared !== null && Number(declared) > limit) {
    body.cancel().catch(ignore)
    return TOO_LARGE
  }
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      reader.cancel().catch(ignore)
      return TOO_LARGE
    }
    chunks.push(value)
  }
  return { rawBody: chunks.length === 1 ? chunks[0]! : concat(chunks, size) }
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

const ignore = () => undefined

/** The request's headers as the handler reads them: a plain record, lower-case names (as `Headers` gives them). */
export function headersOf(request: Request): Record<string, string> {
  const headers: Record<string, string> = Object.create(null)
  request.headers.forEach((value, name) => {
    headers[name] = value
  })
  return headers
}

/** The handler's answer as a `Response`: its status and headers, and the body as JSON text (as Express and Fastify send it). */
export function toResponse({ status, headers, body }: TokenHttpResponse): Response {
  return new Response(JSON.stringify(body), { status, headers })
}
