import { configError } from '../errors'
import type { WebhookDelivery, WebhookRequest } from './types'

const utf8 = new TextDecoder()
const encoder = new TextEncoder()

/**
 * The delivery as bytes, text and a header getter. A body that is neither bytes nor text was parsed by someone
 * else: its signed bytes are gone, so it is refused as a setup mistake rather than checked and failed.
 */
export function readDelivery(request: WebhookRequest): WebhookDelivery {
  if (typeof request !== 'object' || request === null) throw configError('verifyWebhook needs { rawBody, headers, url? }')
  const { rawBody, headers, url } = request
  let body: Uint8Array
  if (typeof rawBody === 'string') body = encoder.encode(rawBody)
  else if (rawBody instanceof Uint8Array) body = rawBody
  else if (rawBody instanceof ArrayBuffer) body = new Uint8Array(rawBody)
  else {
    throw configError(
      'verifyWebhook: rawBody must be the raw bytes or text of the body (express.raw(), await request.arrayBuffer()); a body parser already turned it into an object, and the signature is over the bytes',
    )
  }
  if (typeof headers !== 'object' || headers === null) throw configError('verifyWebhook: headers must be an object of header values or a Headers')
  if (url !== undefined && typeof url !== 'string') throw configError('verifyWebhook: url must be the full URL as a string')
  const header = headerReader(headers)
  let text: string | undefined
  return {
    body,
    get text() {
      return (text ??= utf8.decode(body))
    },
    header,
    url,
  }
}

function headerReader(headers: WebhookRequest['headers']): (name: string) => string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const fetchHeaders = headers as { get(name: string): string | null }
    return (name) => fetchHeaders.get(name) ?? undefined
  }
  // Node lower-cases names; a plain object written by hand may not.
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>
  const byLowerName = new Map<string, string | readonly string[] | undefined>()
  for (const key of Object.keys(record)) byLowerName.set(key.toLowerCase(), record[key])
  return (name) => {
    const value = byLowerName.get(name.toLowerCase())
    if (value === undefined) return undefined
    return typeof value === 'string' ? value : value.join(', ')
  }
}
