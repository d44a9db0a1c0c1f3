// The shapes of webhook verification: what an app hands in, what an adapter sees, and what comes out.
import type { MaybePromise } from '../types'

/** A delivery as the app received it: the body's exact bytes, the headers, and (Twilio) the URL that was called. */
export interface WebhookRequest {
  /** The raw body, before any JSON or form parser (`express.raw()`, `await request.arrayBuffer()`). */
  readonly rawBody: Uint8Array | ArrayBuffer | string
  /** Node's lower-case header record, or a fetch `Headers`. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>> | { get(name: string): string | null }
  /** The full URL the provider called, as it called it (scheme, host, port, path, query). Twilio signs it. */
  readonly url?: string
}

export interface VerifyWebhookOptions {
  /**
   * The key, where the provider signs with something other than the adapter's credentials: Twilio's Auth Token,
   * Agora's NCS secret, Zoom's webhook Secret Token, Daily's webhook `hmac`. Stream and LiveKit sign with the API secret
   * the adapter already has.
   */
  readonly secret?: string
  /** How old (or how far ahead) a signed timestamp may be, in seconds. Default 300 (5 minutes). */
  readonly toleranceSeconds?: number
  /** The clock, in milliseconds. Default Date.now. */
  readonly now?: () => number
}

/** A verified delivery, parsed. */
export interface WebhookEvent<Payload = Record<string, unknown>> {
  /** The adapter's id: 'stream', 'agora', 'twilio', 'livekit', 'zoom', 'daily'. */
  readonly provider: string
  /** The event's type in the provider's words, e.g. 'call.session_started', 'room_finished', 'participant-connected'. */
  readonly type: string
  /** The delivery's id where the provider gives one, to drop a delivery that arrives twice; undefined otherwise. */
  readonly id: string | undefined
  /** The body: parsed JSON, or for Twilio's form posts the form's fields. */
  readonly payload: Payload
  /** The time the provider signed, where it signs one. */
  readonly signedAt?: Date
  /**
   * An answer the provider waits for, to send as the 200's JSON body (Zoom's `endpoint.url_validation` challenge:
   * `{ plainToken, encryptedToken }`); undefined for every other event.
   */
  readonly response?: unknown
}

/** A delivery as an adapter's verifier sees it. */
export interface WebhookDelivery {
  /** The exact bytes that were signed. */
  readonly body: Uint8Array
  /** The body as UTF-8 text. */
  readonly text: string
  /** A header by name, case-insensitively; undefined when absent (repeated headers are joined with ", "). */
  header(name: string): string | undefined
  readonly url: string | undefined
}

/** What verifying one delivery knows besides the delivery. */
export interface WebhookContext {
  /** `options.secret`, when given. */
  readonly secret: string | undefined
  readonly nowSeconds: number
  readonly toleranceSeconds: number
}

/** An adapter's webhook rules, given to `defineProvider` as `webhook`. */
export interface WebhookDefinition {
  /**
   * Where the key comes from: the adapter's own credentials, or a secret the app must pass (named in the error when
   * it is missing, e.g. "the Auth Token (TWILIO_AUTH_TOKEN)").
   */
  readonly secret: { readonly from: 'credentials' } | { readonly from: 'options'; readonly name: string }
  /** Checks the signature (constant-time) and parses; throws `invalidSignature(...)` when it does not hold. */
  verify(delivery: WebhookDelivery, context: WebhookContext): MaybePromise<WebhookEvent>
}
