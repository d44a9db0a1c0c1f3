import { invalidSignature } from '../errors'

/**
 * The delivery's signed timestamp as a Date, after checking it is a number of seconds within `toleranceSeconds` of
 * now (either way): an older one is a replayed or badly delayed delivery. Milliseconds are read as such.
 *
 * @example
 * const signedAt = checkWebhookTimestamp('zoom', delivery.header('x-zm-request-timestamp'), context)
 */
export function checkWebhookTimestamp(providerId: string, value: string | undefined, context: { nowSeconds: number; toleranceSeconds: number }, headerName = 'timestamp'): Date {
  if (value === undefined) throw invalidSignature(providerId, `the ${headerName} header is missing`)
  if (!/^\d{1,16}$/.test(value.trim())) throw invalidSignature(providerId, `the ${headerName} header is not a Unix time`)
  const number = Number(value.trim())
  const seconds = number > 1e11 ? Math.floor(number / 1000) : number
  const age = context.nowSeconds - seconds
  if (Math.abs(age) > context.toleranceSeconds) {
    const minutes = (s: number) => (Math.abs(s) >= 120 ? `${Math.round(Math.abs(s) / 60)} min` : `${Math.abs(s)} s`)
    const when = age > 0 ? `${minutes(age)} old` : `${minutes(age)} in the future`
    throw invalidSignature(providerId, `the signed timestamp is ${when}, outside the ${context.toleranceSeconds} s window (a replayed delivery, or a wrong clock)`)
  }
  return new Date(seconds * 1000)
}

/**
 * The body parsed as JSON, or INVALID_SIGNATURE when it is not (a signed body is the provider's JSON; anything else
 * came from elsewhere).
 *
 * @example
 * const payload = parseWebhookJson('stream', delivery.text)
 */
export function parseWebhookJson(providerId: string, text: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw invalidSignature(providerId, 'the body is not JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidSignature(providerId, 'the body is not a JSON object')
  return value as Record<string, unknown>
}
