import { createWebhookHandler, WEBHOOK_BODY_LIMIT_BYTES, type WebhookRouteOptions } from '@calltoken/core/http'
import type { FastifyRequest } from 'fastify'
import { fastifyOnly } from './fastify-only'
import { drainRequest } from './drain'
import { send } from './send'

export type FastifyWebhookOptions = WebhookRouteOptions<FastifyRequest> & {
  /** The route's path, relative to the plugin's prefix. Default '/'. */
  path?: string
}

/**
 * A webhook route for one provider, as an encapsulated plugin: its own raw-body parser (up to 1 MiB; the app's
 * content-type parsers do not apply), verification, `onEvent` with the event, and 200 (or 401 with the coded error).
 *
 * @example
 * app.register(webhookRoute, {
 *   prefix: '/webhooks/stream',
 *   provider: stream({ apiKey, apiSecret }),
 *   onEvent: async (event) => { if (event.type === 'call.session_ended') await calls.end(event.payload) },
 * })
 */
export const webhookRoute = fastifyOnly(async (fastify, options: FastifyWebhookOptions) => {
  const { path = '/', ...route } = options
  const webhooks = createWebhookHandler<FastifyRequest>(route)
  fastify.removeAllContentTypeParsers()
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT_BYTES }, (_request, body, done) => done(null, body))
  fastify.setErrorHandler(async (error, request, reply) => {
    if ((error as { code?: string }).code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error
    drainRequest(request, reply)
    return send(reply, webhooks.tooLarge)
  })
  fastify.post(path, async (request, reply) => {
    const body: unknown = request.body
    const given = Buffer.isBuffer(body) || typeof body === 'string' ? { rawBody: body } : body === undefined ? {} : { parsedBody: body }
    const url = `${request.protocol}://${request.host}${request.url}`
    return send(reply, await webhooks.receive({ headers: request.headers, ...given, url, req: request }))
  })
})
