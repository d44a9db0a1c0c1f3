import { createWebhookHandler, WEBHOOK_BODY_LIMIT_BYTES, type WebhookRouteOptions } from '@calltoken/core/http'
import { headersOf, readBody, toResponse, TOO_LARGE } from './request'

export type FetchWebhookOptions = WebhookRouteOptions<Request>

/**
 * A webhook route for one provider as a fetch handler: reads the body itself (up to 1 MiB), verifies the delivery
 * against `request.url` (or `url`), calls `onEvent`, and answers 200 (or 401 with the coded error). No Node API.
 *
 * @example
 * const receive = createFetchWebhookHandler({ provider: livekit({ apiKey, apiSecret }), onEvent: (event) => rooms.update(event) })
 * export const POST = (request: Request) => receive(request) // a Next.js route handler
 */
export function createFetchWebhookHandler(options: FetchWebhookOptions): (request: Request) => Promise<Response> {
  const webhooks = createWebhookHandler<Request>(options)
  return async (request) => {
    const body = await readBody(request, WEBHOOK_BODY_LIMIT_BYTES)
    if (body === TOO_LARGE) return toResponse(webhooks.tooLarge)
    return toResponse(await webhooks.receive({ headers: headersOf(request), ...body, url: request.url, req: request }))
  }
}
