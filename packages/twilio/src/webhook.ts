import {
  base64FromBytes,
  constantTimeEqual,
  hexFromBytes,
  hmacSha1,
  invalidSignature,
  parseWebhookJson,
  sha256,
  type WebhookDefinition,
} from '@calltoken/core/provider'
import { candidateUrls } from './webhook-urls'

type Params = Record<string, string | string[]>

/** The form fields of a body, repeated names as lists (as body-parser's urlencoded gives them to twilio-node). */
function formParams(text: string): Params {
  const params: Params = {}
  for (const [name, value] of new URLSearchParams(text)) {
    const existing = params[name]
    params[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value]
  }
  return params
}

/** What Twilio signs after the URL: each field name with its value, names sorted; a list deduplicated and sorted. */
function signedFields(params: Params): string {
  let out = ''
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!
    const values = Array.isArray(value) ? [...new Set(value)].sort() : [value]
    for (const item of values) out += name + item
  }
  return out
}

/**
 * Twilio's webhook rule (twilio-node's validateRequest): `X-Twilio-Signature` is the base64 HMAC-SHA1, under the
 * account's Auth Token, of the URL Twilio called followed by the sorted form fields; a JSON body is instead bound by
 * the URL's `bodySHA256` query parameter (hex SHA-256 of the body), with no fields.
 */
export const twilioWebhook: WebhookDefinition = {
  secret: { from: 'options', name: "the account's Auth Token (TWILIO_AUTH_TOKEN; not an API key secret)" },
  async verify(delivery, { secret }) {
    const signature = delivery.header('x-twilio-signature')
    if (signature === undefined || signature === '') throw invalidSignature('twilio', 'the X-Twilio-Signature header is missing')
    if (delivery.url === undefined) throw invalidSignature('twilio', 'Twilio signs the URL it called: pass url, the full URL of this request')
    const urls = candidateUrls(delivery.url)
    if (!urls) throw invalidSignature('twilio', 'the URL does not parse (check the Host header and how url is built)')
    const bodyHash = new URL(delivery.url).searchParams.get('bodySHA256')
    const params = bodyHash === null ? formParams(delivery.text) : {}
    const fields = signedFields(params)
    let matched = false
    for (const url of urls) {
      if (constantTimeEqual(signature, base64FromBytes(await hmacSha1(secret!, url + fields)))) matched = true
    }
    if (!matched) {
      throw invalidSignature('twilio', 'the signature does not match: check that url is exactly the URL Twilio called (https, host, port, path and query, as configured in Twilio), that the body is the raw form Twilio sent, and that the key is the Auth Token')
    }
    if (bodyHash !== null && !constantTimeEqual(bodyHash, hexFromBytes(await sha256(delivery.body)))) {
      throw invalidSignature('twilio', 'the body does not match the URL\'s bodySHA256: verify the exact bytes Twilio sent')
    }
    const payload = bodyHash === null ? params : parseWebhookJson('twilio', delivery.text)
    const type = payload.StatusCallbackEvent ?? payload.EventType ?? ''
    return { provider: 'twilio', type: typeof type === 'string' ? type : '', id: delivery.header('i-twilio-idempotency-token'), payload }
  },
}
