import { assertProvider, webhookOf } from '../define-provider'
import { configError, isCallTokenError, providerFailed } from '../errors'
import type { CallTokenProvider } from '../types'
import { readDelivery } from './delivery'
import type { VerifyWebhookOptions, WebhookEvent, WebhookRequest } from './types'

export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300

/**
 * Checks that a webhook delivery is the provider's (its signature over the raw body, constant-time; its signed
 * timestamp within the window where there is one) and returns the parsed event. Pass the body's exact bytes: a body
 * that was parsed and serialised again no longer matches its signature.
 *
 * @throws ERR_CALLTOKEN_INVALID_SIGNATURE (401) when a header is missing, the signature does not match, the timestamp
 * is outside the window or the body is not the provider's format; ERR_CALLTOKEN_INVALID_CONFIG (500) when the secret
 * is missing or of the wrong kind, or the body was already parsed. No message holds the signature or a secret.
 * @example
 * app.post('/webhooks/stream', express.raw({ type: () => true }), async (req, res) => {
 *   const event = await verifyWebhook(provider, { rawBody: req.body, headers: req.headers })
 *   if (event.type === 'call.session_ended') await calls.markEnded(event.payload)
 *   res.sendStatus(200)
 * })
 */
export async function verifyWebhook(provider: CallTokenProvider, request: WebhookRequest, options: VerifyWebhookOptions = {}): Promise<WebhookEvent> {
  assertProvider(provider)
  const webhook = webhookOf(provider)
  if (!webhook) throw configError(`verifyWebhook: ${provider.id} has no webhook verification`)
  const { secret, toleranceSeconds = DEFAULT_WEBHOOK_TOLERANCE_SECONDS, now = Date.now } = options
  if (webhook.secret.from === 'options') {
    if (typeof secret !== 'string' || secret.trim() === '') {
      throw configError(`verifyWebhook: ${provider.id} webhooks are signed with ${webhook.secret.name}; pass it as { secret }`)
    }
  } else if (secret !== undefined) {
    throw configError(`verifyWebhook: ${provider.id} webhooks are signed with the adapter's API secret; pass no secret`)
  }
  if (!Number.isInteger(toleranceSeconds) || toleranceSeconds < 1 || toleranceSeconds > 86_400) {
    throw configError('verifyWebhook: toleranceSeconds must be a whole number of seconds from 1 to 86 400')
  }
  const delivery = readDelivery(request)
  const nowSeconds = Math.floor(now() / 1000)
  try {
    return await webhook.verify(delivery, { secret: secret?.trim(), nowSeconds, toleranceSeconds })
  } catch (error) {
    if (isCallTokenError(error)) throw error
    const message = error instanceof Error ? error.message : String(error)
    throw providerFailed(provider.id, provider.redact(secret ? message.split(secret).join('[redacted]') : message))
  }
}
