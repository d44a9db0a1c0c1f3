/**
 * The Worker's bindings: `vars` from wrangler.jsonc, secrets from `wrangler secret put` / `--secrets-file`, and
 * .dev.vars under `wrangler dev`. Every one may be missing: the Worker checks them (src/config.ts), not TypeScript.
 * Hand-written, so the template needs no @cloudflare/workers-types; `wrangler types` generates a fuller one.
 */
export interface Env {
  /** `stream`, `agora`, `twilio`, `livekit`, `zoom` or `daily`. */
  readonly PROVIDER?: string
  readonly STREAM_API_KEY?: string
  readonly STREAM_API_SECRET?: string
  readonly AGORA_APP_ID?: string
  readonly AGORA_APP_CERTIFICATE?: string
  readonly TWILIO_ACCOUNT_SID?: string
  readonly TWILIO_API_KEY_SID?: string
  readonly TWILIO_API_KEY_SECRET?: string
  readonly LIVEKIT_API_KEY?: string
  readonly LIVEKIT_API_SECRET?: string
  /** Optional: the URL clients connect to, handed back in the answer as `serverUrl`. */
  readonly LIVEKIT_URL?: string
  readonly ZOOM_VIDEO_SDK_KEY?: string
  readonly ZOOM_VIDEO_SDK_SECRET?: string
  readonly DAILY_API_KEY?: string
  readonly DAILY_DOMAIN_ID?: string
  /** Your own session JWTs, HS256: at least 32 characters. Or the three below. */
  readonly SESSION_JWT_SECRET?: string
  /** Your identity provider's JWKS (RS256, ES256, EdDSA…); needs SESSION_ISSUER and SESSION_AUDIENCE. */
  readonly SESSION_JWKS_URL?: string
  readonly SESSION_ISSUER?: string
  readonly SESSION_AUDIENCE?: string
  /** Token requests per minute and route, per user (per client IP without a valid session). Default 60. */
  readonly RATE_LIMIT_MAX?: string
}

/** The third argument of `fetch`; this Worker does not use it. */
export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void
  passThroughOnException(): void
}
