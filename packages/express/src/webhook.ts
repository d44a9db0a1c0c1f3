import { bodyReadError, createWebhookHandler, WEBHOOK_BODY_LIMIT_BYTES, type WebhookRouteOptions } from '@calltoken/core/http'
import express, { type NextFunction, type Request, type Response, type Router } from 'express'
import { send } from './send'

export type ExpressWebhookOptions = WebhookRouteOptions<Request>

/** The URL Express saw: its protocol (per trust proxy), the Host header and the original path and query. */
const urlOf = (req: Request) => `${req.protocol}://${req.get('host') ?? ''}${req.originalUrl}`

/**
 * A webhook route for one provider: reads the raw body itself (up to 1 MiB), verifies the delivery, calls `onEvent`
 * with the event, and answers 200 (or 401 with the coded error). Mount it with `app.post(path, …)` before any
 * app-wide body parser; one that already parsed the body is refused with a message saying so.
 *
 * @example
 * app.post('/webhooks/twilio', webhookHandler({
 *   provider: twilio({ accountSid, apiKeySid, apiKeySecret }),
 *   secret: process.env.TWILIO_AUTH_TOKEN,
 *   url: 'https://api.example.com/webhooks/twilio', // as configured in Twilio: it signs the URL
 *   onEvent: async (event) => rooms.record(event.id, event.payload),
 * }))
 */
export function webhookHandler(options: ExpressWebhookOptions): Router {
  const webhooks = createWebhookHandler<Request>(options)
  const readBody = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT_BYTES })
  const handle = (req: Request, res: Response, next: NextFunction) => {
    const body: unknown = req.body
    const given = Buffer.isBuffer(body) || typeof body === 'string' ? { rawBody: body } : body !== undefined && req.complete && !req.readable ? { parsedBody: body } : {}
    webhooks.receive({ headers: req.headers, ...given, url: urlOf(req), req }).then((response) => send(res, response), next)
  }
  // body-parser's refusals (too large, an encoding it cannot decode, a body that is not what its headers say) are
  // answered as the route's 4xx; anything else goes to the app's error handler.
  const bodyErrors = (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const refused = bodyReadError(error, WEBHOOK_BODY_LIMIT_BYTES)
    if (!refused) return next(error)
    send(res, webhooks.refuse(refused))
  }
  const router = express.Router()
  router.use(readBody, handle, bodyErrors)
  return router
}
