import { webhookOf, assertProvider } from '../define-provider'
import { bodyTooLarge, configError, isCallTokenError, type CallTokenError } from '../errors'
import type { CallTokenProvider } from '../types'
import { verifyWebhook } from '../webhook/verify-webhook'
import type { WebhookEvent } from '../webhook/types'
import { errorBody, NO_STORE } from './envelope'
import type { TokenHttpResponse, TokenRouteLogger } from './types'

/**
 * The largest webhook body a binding reads: 1 MiB (providers' events are a few KiB; Stream's with a call's state
 * more).
 *
 * @example
 * express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT_BYTES })
 */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024

export interface WebhookRouteOptions<Req = unknown> {
  /** The adapter whose deliveries this route receives, e.g. `twilio({ … })`. */
  provider: CallTokenProvider
  /** The webhook key where it is not the adapter's credentials (Twilio's Auth Token, Agora's NCS secret, Zoom's and Daily's webhook secrets). */
  secret?: string
  /** How old a signed timestamp may be (Zoom, Daily), in seconds. Default 300. */
  toleranceSeconds?: number
  /**
   * The URL the provider calls, where it signs it (Twilio): your public URL for this route, or a function of the
   * request. Default: the URL as the framework sees it (its protocol and Host, which behind a proxy need its
   * trust-proxy setting).
   */
  url?: string | ((req: Req) => string)
  /**
   * Called with each verified event before the 200 is sent; drop duplicates by `event.id`. A throw is passed to the
   * framework's error handler (a 500, so the provider delivers again).
   */
  onEvent(event: WebhookEvent, req: Req): void | Promise<void>
  /** Where setup mistakes (a body parsed before the route, a missing secret) are reported. */
  logger?: TokenRouteLogger
  /** The clock, in milliseconds. Default Date.now. */
  now?: () => number
}

/** A delivery as a binding hands it over. */
export interface WebhookHttpRequest<Req = unknown> {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>
  readonly rawBody?: Uint8Array | string
  /** A body the app's own parser already read: refused (INVALID_CONFIG), since the signature is over the bytes. */
  readonly parsedBody?: unknown
  /** The URL as the framework sees it. */
  readonly url?: string
  readonly req: Req
}

/** A webhook route's behaviour, for a binding to call. */
export interface WebhookHandler<Req> {
  /** One delivery → one answer. Errors other than CallTokenErrors (from `onEvent`) are rethrown for the framework. */
  receive(request: WebhookHttpRequest<Req>): Promise<TokenHttpResponse>
  /** The 413 for a body over WEBHOOK_BODY_LIMIT_BYTES, which the binding stops reading. */
  readonly tooLarge: TokenHttpResponse
  /** The answer to a coded error raised before `receive` (a body the framework could not read: bodyReadError). */
  refuse(error: CallTokenError): TokenHttpResponse
}

/**
 * The HTTP behaviour of a webhook route, for every binding: verify, hand the event to `onEvent`, answer 200
 * (`{ received: true }`, or the answer the provider waits for, such as Zoom's challenge), or 401 with the coded
 * error when the delivery is not the provider's.
 *
 * @throws ERR_CALLTOKEN_INVALID_CONFIG at once when the provider has no webhooks, the secret it needs is missing, or onEvent is not a function.
 * @example
 * const webhooks = createWebhookHandler<IncomingMessage>({ provider, secret: process.env.TWILIO_AUTH_TOKEN, onEvent: (event) => rooms.update(event.payload) })
 * const answer = await webhooks.receive({ headers: req.headers, rawBody, url: `https://${req.headers.host}${req.url}`, req })
 */
export function createWebhookHandler<Req>(options: WebhookRouteOptions<Req>): WebhookHandler<Req> {
  if (typeof options !== 'object' || options === null) throw configError('A webhook route needs options: { provider, onEvent, secret? }')
  const { provider, secret, toleranceSeconds, url, onEvent, logger, now } = options
  assertProvider(provider)
  const webhook = webhookOf(provider)
  if (!webhook) throw configError(`${provider.id} has no webhook verification`)
  if (webhook.secret.from === 'options' && (typeof secret !== 'string' || secret.trim() === '')) {
    throw configError(`The ${provider.id} webhook route needs secret: ${webhook.secret.name}`)
  }
  if (typeof onEvent !== 'function') throw configError('The webhook route needs onEvent(event, req), called with each verified event')
  if (url !== undefined && typeof url !== 'string' && typeof url !== 'function') throw configError('The webhook route\'s url must be a string or a function of the request')

  const refuse = (error: CallTokenError): TokenHttpResponse => {
    if (error.status >= 500) logger?.error({ code: error.code }, error.message)
    return { status: error.status, headers: NO_STORE, body: errorBody(error) }
  }

  async function receive(request: WebhookHttpRequest<Req>): Promise<TokenHttpResponse> {
    try {
      if (request.rawBody === undefined && request.parsedBody !== undefined) {
        throw configError('A body parser of the app (a global express.json() or urlencoded(), a content-type parser) read this webhook before its route: mount the webhook route before it, so the signature is checked on the exact bytes')
      }
      const calledUrl = typeof url === 'function' ? url(request.req) : (url ?? request.url)
      const event = await verifyWebhook(
        provider,
        { rawBody: request.rawBody ?? new Uint8Array(0), headers: request.headers, ...(calledUrl === undefined ? {} : { url: calledUrl }) },
        { ...(secret === undefined ? {} : { secret }), ...(toleranceSeconds === undefined ? {} : { toleranceSeconds }), ...(now ? { now } : {}) },
      )
      await onEvent(event, request.req)
      return { status: 200, headers: NO_STORE, body: event.response ?? { received: true } }
    } catch (error) {
      if (!isCallTokenError(error)) throw error
      return refuse(error)
    }
  }
  return { receive, tooLarge: refuse(bodyTooLarge(WEBHOOK_BODY_LIMIT_BYTES)), refuse }
}
