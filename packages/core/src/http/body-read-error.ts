import { bodyTooLarge, malformedBody, unsupportedEncoding, type CallTokenError } from '../errors'

/**
 * A body reader's failure as the routes' answer: body-parser and raw-body (Express) mark theirs with `type` and a
 * 4xx `status`. Too large → 413, a Content-Encoding they do not decode → 415, any other 4xx (a body that does not
 * match its Content-Encoding or Content-Length, an aborted upload) → 400. Undefined for anything else, which is the
 * server's own failure and goes to the framework's error handler.
 *
 * @example
 * const refused = bodyReadError(error, BODY_LIMIT_BYTES)
 * if (!refused) return next(error)
 * handler.errorResponse(refused).then((answer) => send(res, answer))
 */
export function bodyReadError(error: unknown, limitBytes: number): CallTokenError | undefined {
  const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown }
  if (type === 'entity.too.large') return bodyTooLarge(limitBytes)
  if (type === 'encoding.unsupported') return unsupportedEncoding()
  if (typeof status === 'number' && status >= 400 && status < 500) return malformedBody('The request body could not be read: it does not match its Content-Encoding or Content-Length')
  return undefined
}
