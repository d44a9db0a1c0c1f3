import { randomUUID } from 'node:crypto'
import type { AgoraProvider } from '@calltoken/agora'
import { fastifyCallToken } from '@calltoken/fastify'
import fastifyRateLimit from '@fastify/rate-limit'
import Fastify from 'fastify'
import type { Logger } from 'pino'
import { authenticateHook } from './auth.ts'
import { agoraProvider, TOKEN_POLICY } from './calltoken.ts'
import { systemClock, type Clock } from './clock.ts'
import type { Config } from './config.ts'
import type { Database } from './db/client.ts'
import { errorHandler } from './errors.ts'
import { createLogger } from './logger.ts'
import { publicIdOf as makePublicIdOf, type PublicIdOf } from './public-id.ts'
import { rateLimitExceeded } from './rate-limits.ts'
import { adminRoutes } from './routes/admin.ts'
import { callRoutes } from './routes/calls.ts'
import { healthRoutes } from './routes/health.ts'
import { preferenceRoutes } from './routes/preferences.ts'
import { callingTokenRoute } from './routes/token.ts'

export interface AppOptions {
  config: Config
  /** Opened and migrated by the caller, which also closes it (main.ts, the tests). */
  database: Database
  clock?: Clock
  logger?: Logger
  /** Tests pass a provider that fails, to see the 500 path; the app builds its own from config otherwise. */
  provider?: AgoraProvider<'uid'>
}

/** A client's X-Request-Id when it is a sane token, else a fresh UUID; echoed back and on every log line. */
function requestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\w.-]{1,64}$/.test(header) ? header : randomUUID()
}

/** The internal user id in DELETE …/participants/:userId becomes its masked id before the URL is logged. */
export function maskedUrl(publicIdOf: PublicIdOf) {
  return (url: string) => url.replace(/(\/participants\/)([^/?#]+)/, (_match, prefix: string, id: string) => `${prefix}${publicIdOf(id)}`)
}

/** The whole app, ready to listen (main.ts) or to be started on port 0 (tests). */
export async function buildApp(options: AppOptions) {
  const { config, database } = options
  const clock = options.clock ?? systemClock
  const publicIdOf = makePublicIdOf(config.publicIdSecret)
  const logger = options.logger ?? createLogger({ level: config.logLevel, maskUrl: maskedUrl(publicIdOf) })

  const app = Fastify({
    loggerInstance: logger,
    genReqId: (req) => requestId(req.headers['x-request-id']),
    // Nothing here takes more than a few fields.
    bodyLimit: 16 * 1024,
  })
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ success: false, error: 'Not found', code: 'NOT_FOUND' }))
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })

  // Limits are opted into per route (config.rateLimit), keyed by user: see rate-limits.ts.
  await app.register(fastifyRateLimit, { global: false, errorResponseBuilder: rateLimitExceeded })
  await app.register(fastifyCallToken, { provider: options.provider ?? agoraProvider(config.agora), policy: TOKEN_POLICY })

  await app.register(healthRoutes, { prefix: '/api', database, usingDemoCredentials: config.demoCredentials.length > 0 })

  const db = database.db
  await app.register(
    async (calling) => {
      calling.decorateRequest('caller', null as never)
      calling.addHook('onRequest', authenticateHook(config.jwt, publicIdOf))
      await calling.register(callingTokenRoute, { db, appId: config.agora.appId })
      await calling.register(callRoutes, { db, clock })
      await calling.register(preferenceRoutes, { db, clock })
      await calling.register(adminRoutes, { prefix: '/admin', db, clock, publicIdOf })
    },
    { prefix: '/api/calling' },
  )
  return app
}
