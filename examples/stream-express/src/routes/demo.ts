import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { memoryRateLimitStore } from '@calltoken/core/http'
import express, { type Router } from 'express'
import type { Config } from '../config'
import type { Db } from '../db/client'
import { DEMO_USERS } from '../demo-credentials'
import { signSessionJwt } from '../session-jwt'
import { findUser } from '../users'

/** A demo session lasts this long; the page signs in again when it wants a new one. */
const SESSION_SECONDS = 30 * 60
/** Sign-ins per client IP and minute: enough for a person trying the page, not for guessing. */
const SIGN_INS_PER_MINUTE = 20

const page = (file: string) => readFileSync(new URL(`../demo-page/${file}`, import.meta.url), 'utf8')
/** The token source as an app's bundler gets it: @calltoken/client's own ESM build (it imports nothing). */
function clientModule(): string {
  const manifest = createRequire(import.meta.url).resolve('@calltoken/client/package.json')
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: { '.': { import: { default: string } } } }
  return readFileSync(join(dirname(manifest), exports['.'].import.default), 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/, '')
}

/**
 * The live token-flow page (development only): GET / shows it; it signs in as a demo user with POST /demo/session
 * and then uses @calltoken/client against the real token routes. A real app has its own login: this route exists
 * so the page works with no setup, and config.ts refuses it when NODE_ENV=production.
 */
export function demoPageRoutes({ config, db }: { config: Pick<Config, 'session'>; db: Db }): Router {
  const html = page('index.html')
  const script = page('app.js')
  const client = clientModule()
  const signIns = memoryRateLimitStore({ maxKeys: 10_000 })
  const router = express.Router()
  const asset = (type: string, body: string) => (_req: express.Request, res: express.Response) => void res.type(type).set('cache-control', 'no-cache').send(body)

  router.get('/', asset('html', html))
  router.get('/demo/app.js', asset('text/javascript', script))
  router.get('/demo/calltoken-client.js', asset('text/javascript', client))
  router.get('/demo/users', (_req, res) => {
    res.set('cache-control', 'no-store').json(DEMO_USERS.map(({ id, displayName, role }) => ({ id, displayName, role })))
  })
  router.post('/demo/session', express.json({ limit: '1kb' }), async (req, res, next) => {
    try {
      const hit = await signIns.hit(`demo-session:${req.ip}`, 60_000)
      if (hit.count > SIGN_INS_PER_MINUTE) {
        return void res.status(429).set({ 'cache-control': 'no-store', 'retry-after': String(Math.ceil(hit.resetInMs / 1000)) }).json({ success: false, error: 'Too many sign-ins; try again in a minute' })
      }
      const userId = (req.body as { userId?: unknown } | undefined)?.userId
      if (typeof userId !== 'string') return void res.status(400).set('cache-control', 'no-store').json({ success: false, error: 'Send { "userId": "<a demo user>" } as JSON' })
      const user = DEMO_USERS.some((demo) => demo.id === userId) ? await findUser(db, userId) : undefined
      if (!user) return void res.status(404).set('cache-control', 'no-store').json({ success: false, error: 'No such demo user' })
      const session = await signSessionJwt({ secret: config.session.jwtSecret, issuer: config.session.issuer, audience: config.session.audience, userId: user.id, expiresInSeconds: SESSION_SECONDS })
      res.set('cache-control', 'no-store').json({ success: true, session, user: { id: user.id, displayName: user.displayName, role: user.role } })
    } catch (error) {
      next(error)
    }
  })
  // A body express.json() refuses (bad JSON, too large, an unknown charset) is the client's mistake: its 4xx, not a 500.
  router.use('/demo', (error: { status?: unknown }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (typeof error?.status !== 'number' || error.status < 400 || error.status >= 500) return next(error)
    res.status(error.status).set('cache-control', 'no-store').json({ success: false, error: 'The body must be JSON: { "userId": "<a demo user>" }' })
  })
  return router
}
