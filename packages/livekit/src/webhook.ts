import {
  base64FromBytes,
  constantTimeEqual,
  invalidSignature,
  isCallTokenError,
  parseWebhookJson,
  sha256,
  type Hs256Jwt,
  type WebhookDefinition,
} from '@calltoken/core/provider'

/** livekit-server-sdk's TokenVerifier default: how far a webhook JWT's exp and nbf may be off. */
const CLOCK_TOLERANCE_SECONDS = 10

/**
 * LiveKit's webhook rule (livekit-server-sdk's WebhookReceiver): the `Authorization` header holds a JWT signed with
 * the API secret, issued by the API key, whose `sha256` claim is the base64 SHA-256 of the raw body. The header may
 * also be `Bearer <jwt>`.
 */
export function liveKitWebhook(jwt: Hs256Jwt, apiKey: string): WebhookDefinition {
  return {
    secret: { from: 'credentials' },
    async verify(delivery, { nowSeconds }) {
      const header = delivery.header('authorization') ?? delivery.header('authorize')
      if (header === undefined || header.trim() === '') throw invalidSignature('livekit', 'the Authorization header is missing')
      const token = header.replace(/^Bearer\s+/i, '').trim()
      let claims: Record<string, unknown>
      try {
        claims = (await jwt.verify(token)).payload as Record<string, unknown>
      } catch (error) {
        if (!isCallTokenError(error)) throw error
        throw invalidSignature('livekit', 'the Authorization header is not a JWT signed with this API secret')
      }
      if (claims.iss !== apiKey) throw invalidSignature('livekit', 'the JWT was issued for another API key')
      if (typeof claims.exp !== 'number' || claims.exp + CLOCK_TOLERANCE_SECONDS <= nowSeconds) throw invalidSignature('livekit', 'the JWT has expired (or has no exp)')
      if (typeof claims.nbf === 'number' && claims.nbf - CLOCK_TOLERANCE_SECONDS > nowSeconds) throw invalidSignature('livekit', 'the JWT is not valid yet (nbf is in the future)')
      const bodyHash = base64FromBytes(await sha256(delivery.body))
      if (typeof claims.sha256 !== 'string' || !constantTimeEqual(claims.sha256, bodyHash)) {
        throw invalidSignature('livekit', "the body's SHA-256 is not the JWT's sha256 claim: verify the exact bytes LiveKit sent (not parsed and serialised again)")
      }
      const payload = parseWebhookJson('livekit', delivery.text)
      return {
        provider: 'livekit',
        type: typeof payload.event === 'string' ? payload.event : '',
        id: typeof payload.id === 'string' ? payload.id : undefined,
        payload,
      }
    },
  }
}
