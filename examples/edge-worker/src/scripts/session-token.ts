// Prints a session JWT for local development: `npm run --silent token -- <userId> [roles] [validitySeconds]`, e.g.
// `npm run --silent token -- alice moderator`. Roles are comma-separated. It signs with SESSION_JWT_SECRET (and
// sets SESSION_ISSUER / SESSION_AUDIENCE when given) from the environment, else from .dev.vars, as `wrangler dev`
// reads them. Production JWTs come from your login or identity provider.
import { existsSync, readFileSync } from 'node:fs'
import { parseEnv } from 'node:util'
import { signSessionJwt } from './session-jwt'

const devVars = new URL('../../.dev.vars', import.meta.url)
const vars = { ...(existsSync(devVars) ? parseEnv(readFileSync(devVars, 'utf8')) : {}), ...process.env }
const [userId, roles, validity = '3600'] = process.argv.slice(2)

if (!userId || !/^\d+$/.test(validity)) {
  console.error('usage: npm run --silent token -- <userId> [role,role…] [validitySeconds]')
  process.exit(1)
}
const secret = vars.SESSION_JWT_SECRET?.trim()
if (!secret) {
  console.error('SESSION_JWT_SECRET is not set (in the environment or .dev.vars)')
  process.exit(1)
}
const jwt = await signSessionJwt(secret, {
  userId,
  expiresInSeconds: Number(validity),
  ...(roles ? { roles: roles.split(',').filter(Boolean) } : {}),
  ...(vars.SESSION_ISSUER ? { issuer: vars.SESSION_ISSUER } : {}),
  ...(vars.SESSION_AUDIENCE ? { audience: vars.SESSION_AUDIENCE } : {}),
})
process.stdout.write(`${jwt}\n`)
