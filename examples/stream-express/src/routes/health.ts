import type { CallTokenProvider } from '@calltoken/core'
import express, { type Router } from 'express'
import type { Database } from '../db/client'

/**
 * GET /health: 200 when the database answers and the provider is configured, else 503 (for load balancers).
 * `demoCredentials` tells an operator the app is running on the documented fake credentials.
 */
export function healthRoute(database: Database, provider: CallTokenProvider, demoCredentials: boolean): Router {
  const router = express.Router()
  router.get('/health', async (req, res) => {
    let databaseOk = true
    try {
      await database.ping()
    } catch (error) {
      databaseOk = false
      req.log.error({ err: error }, 'health: the database is unreachable')
    }
    res
      .status(databaseOk ? 200 : 503)
      .set('cache-control', 'no-store')
      .json({
        status: databaseOk ? 'ok' : 'unavailable',
        database: { ok: databaseOk, driver: database.driver },
        provider: { id: provider.id, configured: true, demoCredentials },
      })
  })
  return router
}
