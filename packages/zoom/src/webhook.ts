import {
  checkWebhookTimestamp,
  concatBytes,
  constantTimeEqual,
  hexFromBytes,
  hmacSha256,
  invalidSignature,
  parseWebhookJson,
  type WebhookDefinition,
} from '@calltoken/core/provider'

const encoder = new TextEncoder()

/**
 * Zoom's webhook rule: `x-zm-signature` is `v0=` and the hex HMAC-SHA256, under the app's webhook Secret Token, of
 * `v0:{x-zm-request-timestamp}:{raw body}`; the timestamp must be within the window. The `endpoint.url_validation`
 * challenge is answered with `{ plainToken, encryptedToken }` (the token's HMAC under the same secret), in `response`.
 */
export const zoomWebhook: WebhookDefinition = {
  secret: { from: 'options', name: "the app's webhook Secret Token (ZOOM_WEBHOOK_SECRET_TOKEN; not the SDK secret)" },
  async verify(delivery, context) {
    const signature = delivery.header('x-zm-signature')
    if (signature === undefined || signature === '') throw invalidSignature('zoom', 'the x-zm-signature header is missing')
    const timestamp = delivery.header('x-zm-request-timestamp')
    const signedAt = checkWebhookTimestamp('zoom', timestamp, context, 'x-zm-request-timestamp')
    const signed = concatBytes(encoder.encode(`v0:${timestamp}:`), delivery.body)
    const expected = `v0=${hexFromBytes(await hmacSha256(context.secret!, signed))}`
    if (!constantTimeEqual(signature, expected)) {
      throw invalidSignature('zoom', "the signature does not match: check that the body is the exact bytes Zoom sent and that the secret is the app's webhook Secret Token")
    }
    const payload = parseWebhookJson('zoom', delivery.text)
    const type = typeof payload.event === 'string' ? payload.event : ''
    const event = { provider: 'zoom', type, id: undefined, payload, signedAt }
    if (type !== 'endpoint.url_validation') return event
    const plainToken = (payload.payload as { plainToken?: unknown } | undefined)?.plainToken
    if (typeof plainToken !== 'string' || plainToken === '') throw invalidSignature('zoom', 'the endpoint.url_validation event has no plainToken')
    const encryptedToken = hexFromBytes(await hmacSha256(context.secret!, plainToken))
    return { ...event, response: { plainToken, encryptedToken } }
  },
}
