import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../db/client.ts'

const DB_TIMEOUT_MS = 2000

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * GET /health — no auth, no rate limit: for load balancers. 200 when the database answers and the Agora
 * credentials mint a token that verifies; 503 otherwise. Agora's own service is not contacted.
 */
export const healthRoutes: FastifyPluginAsync<{ database: Database; usingDemoCredentials: boolean }> = async (app, { database, usingDemoCredentials }) => {
  app.get('/health', async (request, reply) => {
    const db = await withTimeout(database.ping(), DB_TIMEOUT_MS).then(
      () => ({ status: 'up' as const, kind: database.kind }),
      (error: unknown) => {
        request.log.error({ err: error }, 'health: database unreachable')
        return { status: 'down' as const, kind: database.kind }
      },
    )
    let agora: { status: 'configured' | 'misconfigured' }
    try {
      // A self-test of the credentials: mint and verify a throwaway token (no network).
      const issued = await app.callToken.createCallToken({ userId: '1', callId: 'health-check' })
      app.callToken.verifyToken(issued.token)
      agora = { status: 'configured' }
    } catch (error) {
      request.log.error({ err: error }, 'health: agora credentials do not work')
      agora = { status: 'misconfigured' }
    }
    const ok = db.status === 'up' && agora.status === 'configured'
    reply.header('cache-control', 'no-store')
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', database: db, agora, demoCredentials: usingDemoCredentials })
  })
}
