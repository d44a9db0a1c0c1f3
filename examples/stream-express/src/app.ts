import type { CallTokenProvider } from '@calltoken/core'
import express, { type Express, type NextFunction, type Request, type Response } from 'express'
import { createAuthenticate } from './auth'
import type { Config } from './config'
import type { Database } from './db/client'
import { httpLogger, type Logger } from './logger'
import { demoPageRoutes } from './routes/demo'
import { healthRoute } from './routes/health'
import { openApiRoute } from './routes/openapi'
import { streamTokenRoute } from './routes/stream-token'
import { streamWebhookRoutes } from './routes/stream-webhook'
import { tokenRoutes } from './routes/tokens'

export interface AppContext {
  readonly config: Config
  readonly database: Database
  readonly logger: Logger
  readonly provider: CallTokenProvider
  /** The token clock in milliseconds (tests pin it); default Date.now. */
  readonly now?: () => number
}

/** The whole HTTP app, without listening (server.ts listens). */
export function buildApp({ config, database, logger, provider, now }: AppContext): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', config.trustProxy > 0 ? config.trustProxy : false)
  app.use(httpLogger(logger))

  const { db } = database
  const authenticate = createAuthenticate(config.session, db)

  // Before every body reader: the webhook route checks the signature on the exact bytes Stream sent.
  app.use(streamWebhookRoutes({ provider, db, authenticate, logger, now: now ?? Date.now }))
  app.use('/api', healthRoute(database, provider, config.demoValues.some((name) => name.startsWith('STREAM_'))))
  app.use('/api', openApiRoute(provider, !config.allowAnonymousTokens))
  app.use('/api', streamTokenRoute({ provider, db, authenticate, rateLimit: config.rateLimit, logger, ...(now ? { now } : {}) }))
  // Last under /api: the token router reads the raw body of every request that reaches it.
  app.use('/api', tokenRoutes({ provider, db, authenticate, config, logger, ...(now ? { now } : {}) }))

  if (config.demoPage) app.use(demoPageRoutes({ config, db }))

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ success: false, error: 'Not found' })
  })
  // Errors the routes do not answer themselves (e.g. the database failing during authentication).
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    req.log.error({ err: error }, 'unhandled error')
    if (res.headersSent) return
    res.status(500).set('cache-control', 'no-store').json({ success: false, error: 'Internal server error' })
  })
  return app
}
