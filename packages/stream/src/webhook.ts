import {
  constantTimeEqual,
  gunzipBounded,
  hexFromBytes,
  hmacSha256,
  invalidSignature,
  isGzip,
  parseWebhookJson,
  type WebhookDefinition,
} from '@calltoken/core/provider'

/** A webhook body never inflates past this: a larger one is a compression bomb, not an event. */
const MAX_INFLATED_BYTES = 5 * 1024 * 1024
const utf8 = new TextDecoder()

/**
 * Stream's webhook rule: `X-Signature` is the lower-case hex HMAC-SHA256 of the body under the API secret; a gzipped
 * body (detected by its first bytes, as @stream-io/node-sdk does) is signed uncompressed.
 */
export function streamWebhook(apiSecret: string): WebhookDefinition {
  return {
    secret: { from: 'credentials' },
    async verify(delivery) {
      const signature = delivery.header('x-signature')
      if (signature === undefined || signature === '') throw invalidSignature('stream', 'the X-Signature header is missing')
      let body = delivery.body
      if (isGzip(body)) {
        const inflated = await gunzipBounded(body, MAX_INFLATED_BYTES)
        if (!inflated) throw invalidSignature('stream', `the gzipped body does not decompress (or would exceed ${MAX_INFLATED_BYTES} bytes)`)
        body = inflated
      }
      const expected = hexFromBytes(await hmacSha256(apiSecret, body))
      if (!constantTimeEqual(signature, expected)) {
        throw invalidSignature('stream', "the signature does not match the body: check that the body is the exact bytes Stream sent (not parsed and serialised again) and that this is the app's API secret")
      }
      const payload = parseWebhookJson('stream', utf8.decode(body))
      return { provider: 'stream', type: typeof payload.type === 'string' ? payload.type : '', id: delivery.header('x-webhook-id'), payload }
    },
  }
}
