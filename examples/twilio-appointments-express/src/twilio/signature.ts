import { createHmac, timingSafeEqual } from 'node:crypto'

/** The POST parameters of a form-encoded Twilio request; a repeated name gives several values. */
export type TwilioParams = Readonly<Record<string, string | readonly string[]>>

/**
 * Twilio's request signature (X-Twilio-Signature): base64(HMAC-SHA1(authToken, url + name+value of every POST
 * parameter, sorted by name)). A repeated name's values are de-duplicated and sorted, as twilio-node does.
 * The key is the account **Auth Token**, not an API key secret.
 */
export function twilioSignature(authToken: string, url: string, params: TwilioParams): string {
  let data = url
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!
    for (const one of typeof value === 'string' ? [value] : [...new Set(value)].sort()) data += name + one
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64')
}

export interface SignedRequest {
  authToken: string
  /** The X-Twilio-Signature header. */
  signature: string | undefined
  /** The full public URL Twilio called, query string included. */
  url: string
  params: TwilioParams
}

/** Constant-time check of a request's signature, with and without the default port (Twilio signs either form). */
export function isValidTwilioSignature({ authToken, signature, url, params }: SignedRequest): boolean {
  if (!signature) return false
  const given = Buffer.from(signature)
  return [withoutPort(url), withDefaultPort(url)].some((candidate) => {
    const expected = Buffer.from(twilioSignature(authToken, candidate, params))
    return given.length === expected.length && timingSafeEqual(given, expected)
  })
}

/** A form-encoded body as Twilio parameters (repeated names keep every value). */
export function parseFormParams(body: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = Object.create(null)
  for (const [name, value] of new URLSearchParams(body)) {
    const previous = params[name]
    params[name] = previous === undefined ? value : [...(typeof previous === 'string' ? [previous] : previous), value]
  }
  return params
}

// Splits "scheme://host:port" off without normalising the rest, which must stay byte for byte what Twilio signed.
const ORIGIN = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)(:\d*)?/i

function withoutPort(url: string): string {
  return url.replace(ORIGIN, (_match, scheme: string, user = '', host: string) => `${scheme}${user}${host}`)
}

function withDefaultPort(url: string): string {
  return url.replace(ORIGIN, (match, scheme: string, user = '', host: string, port?: string) =>
    port ? match : `${scheme}${user}${host}${scheme.toLowerCase() === 'https://' ? ':443' : ':80'}`,
  )
}
