import {
  base64FromBytes,
  bytesFromBase64,
  checkWebhookTimestamp,
  concatBytes,
  configError,
  constantTimeEqual,
  hmacSha256,
  invalidSignature,
  parseWebhookJson,
  type WebhookDefinition,
} from '@calltoken/core/provider'

const encoder = new TextEncoder()

/**
 * Daily's webhook rule, as its webhooks reference describes it: `X-Webhook-Signature` is the base64 HMAC-SHA256 of
 * `{X-Webhook-Timestamp}.{raw body}` under the webhook's `hmac` secret (itself base64: its bytes are the key); the
 * timestamp must be within the window.
 */
export const dailyWebhook: WebhookDefinition = {
  secret: { from: 'options', name: "the webhook's hmac secret (returned by POST /webhooks; not the API key)" },
  async verify(delivery, context) {
    const key = bytesFromBase64(context.secret!)
    if (!key || key.length === 0) throw configError("daily: the webhook secret must be the webhook's base64 hmac, as POST /webhooks returned it")
    const signature = delivery.header('x-webhook-signature')
    if (signature === undefined || signature === '') throw invalidSignature('daily', 'the X-Webhook-Signature header is missing')
    const timestamp = delivery.header('x-webhook-timestamp')
    const signedAt = checkWebhookTimestamp('daily', timestamp, context, 'X-Webhook-Timestamp')
    const signed = concatBytes(encoder.encode(`${timestamp}.`), delivery.body)
    if (!constantTimeEqual(signature, base64FromBytes(await hmacSha256(key, signed)))) {
      throw invalidSignature('daily', "the signature does not match: check that the body is the exact bytes Daily sent and that the secret is the webhook's hmac")
    }
    const payload = parseWebhookJson('daily', delivery.text)
    return {
      provider: 'daily',
      type: typeof payload.type === 'string' ? payload.type : '',
      id: typeof payload.id === 'string' ? payload.id : undefined,
      payload,
      signedAt,
    }
  },
}
