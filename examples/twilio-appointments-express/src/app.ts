import { randomUUID } from 'node:crypto'
import { createTokenService } from '@calltoken/core'
import { sql } from 'drizzle-orm'
import express, { type ErrorRequestHandler, type Express } from 'express'
import type { Logger } from 'pino'
import { pinoHttp } from 'pino-http'
import { appointmentRoutes } from './appointments/routes'
import type { Config } from './config'
import type { Db } from './db/client'
import { roomStatusRoute } from './twilio/room-status-route'
import { createVideoProvider } from './video-provider'

export interface AppDependencies {
  config: Config
  db: Db
  logger: Logger
  /** Milliseconds. Default Date.now; tests pin it. */
  now?: () => number
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** The Express app, without listening: routes, logging with request ids, JSON errors. */
export function buildApp({ config, db, logger, now = Date.now }: AppDependencies): Express {
  // Created here, at start-up: bad credentials stop the start instead of failing the first request.
  const provider = createVideoProvider(config)
  const tokens = createTokenService({ provider, now })

  const app = express()
  app.disable('x-powered-by')
  // Token answers are never cached (no-store), so an ETag would only add a hash of a credential to every response.
  app.set('etag', false)
  app.use(
    pinoHttp({
      logger,
      // A caller's (or the proxy's) X-Request-Id is kept so one id follows the request across services.
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id']
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID()
        res.setHeader('X-Request-Id', id)
        return id
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  )

  app.get('/healthz', async (_req, res) => {
    await db.execute(sql`SELECT 1`)
    res.json({ status: 'ok' })
  })
  app.use(roomStatusRoute({ db, provider, authToken: config.twilio.authToken, publicBaseUrl: config.publicBaseUrl, now }))
  app.use(
    '/api/appointments',
    appointmentRoutes({ db, tokens, sessionJwtSecret: config.sessionJwtSecret, rateLimitPerMinute: config.rateLimitPerMinute, now }),
  )
  app.use((_req, res) => {
    res.status(404).json({ error: 'Not found' })
  })
  app.use(errorHandler)
  return app
}

/** Errors thrown by a route: logged with the request id, answered without their details. */
const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error)
  // body-parser's own errors (too large, bad encoding) carry a client status; everything else is ours.
  const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500
  if (status === 500) req.log.error({ err: error }, 'request failed')
  res.status(status).json({ error: status === 500 ? 'Internal server error' : 'Bad request' })
}
