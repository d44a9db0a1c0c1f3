// Prints a session JWT for a demo user: `pnpm --filter @calltoken/example-stream-express token alice [ttlSeconds]`.
// It signs with SESSION_JWT_SECRET (or the demo secret), like the app's login would. Refused in production.
import { ConfigError, loadConfig } from '../config'
import { signSessionJwt } from '../session-jwt'

const [userId, ttl = '3600'] = process.argv.slice(2)
try {
  const config = loadConfig()
  if (config.nodeEnv === 'production') throw new Error('the token script is for development; production JWTs come from your login')
  if (!userId || !/^\d+$/.test(ttl)) throw new Error('usage: token <userId> [ttlSeconds]')
  const jwt = await signSessionJwt({ ...config.session, secret: config.session.jwtSecret, userId, expiresInSeconds: Number(ttl) })
  process.stdout.write(`${jwt}\n`)
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error)
  process.exit(1)
}
