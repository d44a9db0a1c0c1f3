import { constantTimeEqual, hexFromBytes, hmacSha1, hmacSha256, invalidSignature, parseWebhookJson, type WebhookDefinition } from '@calltoken/core/provider'

/**
 * Agora's Notification Center Service (NCS): `Agora-Signature-V2` is the hex HMAC-SHA256 of the raw body under the
 * NCS secret, `Agora-Signature` the older HMAC-SHA1. When V2 is there it decides: a bad V2 is refused even beside a
 * good v1, so a downgrade to SHA-1 cannot be forced.
 */
export const agoraWebhook: WebhookDefinition = {
  secret: { from: 'options', name: "the NCS secret (from Agora's Notifications settings; not the App Certificate)" },
  async verify(delivery, { secret }) {
    const v2 = delivery.header('agora-signature-v2')
    const v1 = delivery.header('agora-signature')
    if (!v2 && !v1) throw invalidSignature('agora', 'the Agora-Signature-V2 (or Agora-Signature) header is missing')
    const [given, expected] = v2
      ? [v2.toLowerCase(), hexFromBytes(await hmacSha256(secret!, delivery.body))]
      : [v1!.toLowerCase(), hexFromBytes(await hmacSha1(secret!, delivery.body))]
    if (!constantTimeEqual(given, expected)) {
      throw invalidSignature('agora', `the ${v2 ? 'Agora-Signature-V2' : 'Agora-Signature'} does not match the body: check that the body is the exact bytes Agora sent and that the secret is the NCS secret, not the App Certificate`)
    }
    const payload = parseWebhookJson('agora', delivery.text)
    const { noticeId, eventType, notifyMs } = payload
    return {
      provider: 'agora',
      type: typeof eventType === 'number' || typeof eventType === 'string' ? String(eventType) : '',
      id: typeof noticeId === 'string' ? noticeId : undefined,
      payload,
      ...(typeof notifyMs === 'number' ? { signedAt: new Date(notifyMs) } : {}),
    }
  },
}
