import type { CallTokenProvider } from '@calltoken/core'
import { isCallTokenError, webhookHandler } from '@calltoken/express'
import express, { type Router } from 'express'
import type { Authenticate } from '../auth'
import { applyCallEvent, findCallStatus } from '../call-status'
import type { Db } from '../db/client'
import type { Logger } from '../logger'

export const STREAM_WEBHOOK_PATH = '/webhooks/stream'

export interface StreamWebhookOptions {
  readonly provider: CallTokenProvider
  readonly db: Db
  readonly authenticate: Authenticate
  readonly logger: Logger
  readonly now: () => number
}

/**
 * POST /webhooks/stream: Stream's webhooks (set this URL in the Stream dashboard), verified by @calltoken/express's
 * webhookHandler with the app's API secret, feeding `call_status`. GET /api/calls/:type/:id/status reads it back for a
 * signed-in user.
 */
export function streamWebhookRoutes({ provider, db, authenticate, logger, now }: StreamWebhookOptions): Router {
  const router = express.Router()
  router.post(
    STREAM_WEBHOOK_PATH,
    webhookHandler({
      provider,
      logger: logger.child({ component: 'stream-webhook' }),
      onEvent: async (event, req) => {
        const result = await applyCallEvent(db, event, new Date(now()))
        req.log.info({ type: event.type, webhookId: event.id, result }, 'stream webhook')
      },
    }),
  )
  router.get('/api/calls/:type/:id/status', async (req, res) => {
    // A refused session JWT is a 401 like no JWT at all (its reason is the token routes' to explain).
    const principal = await authenticate(req).catch((error: unknown) => {
      if (isCallTokenError(error) && error.status === 401) return null
      throw error
    })
    if (!principal) {
      res.status(401).set('www-authenticate', 'Bearer').json({ success: false, error: 'Authentication required' })
      return
    }
    const row = await findCallStatus(db, `${req.params.type}:${req.params.id}`)
    if (!row) {
      res.status(404).json({ success: false, error: 'No webhook has reported this call yet' })
      return
    }
    res.set('cache-control', 'no-store').json({ success: true, data: row })
  })
  return router
}
