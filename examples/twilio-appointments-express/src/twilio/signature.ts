import { createHmac } from 'node:crypto'

/** The POST parameters of a form-encoded Twilio request; a repeated name gives several values. */
export type TwilioParams = Readonly<Record<string, string | readonly string[]>>

/**
 * What Twilio sends as X-Twilio-Signature, for the sign-callback script and the tests (the route itself checks
 * callbacks with @calltoken/twilio's webhook rule): base64(HMAC-SHA1(authToken, url + name+value of every POST
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

/** A form-encoded body as Twilio parameters (repeated names keep every value). */
export function parseFormParams(body: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = Object.create(null)
  for (const [name, value] of new URLSearchParams(body)) {
    const previous = params[name]
    params[name] = previous === undefined ? value : [...(typeof previous === 'string' ? [previous] : previous), value]
  }
  return params
}
