// `pnpm token <userId> [role]` — prints a session JWT for the demo, signed with JWT_SECRET (the demo one by default).
import { CALLING_ROLES, parseUserId } from './auth.ts'
import { ConfigError, loadConfig } from './config.ts'
import { signSessionJwt } from './session-jwt.ts'

const usage = `usage: pnpm token <userId> [${CALLING_ROLES.join('|')}]   (userId: 1-4294967295, role default member)`

try {
  const config = loadConfig()
  // Minting sessions is your identity service's job in production; this helper is for trying the API.
  if (config.env === 'production') throw new Error('pnpm token is a demo helper and refuses to run when NODE_ENV=production')
  const [subject = '', role = 'member'] = process.argv.slice(2)
  const userId = parseUserId(subject)
  if (userId === undefined) throw new Error(usage)
  if (!(CALLING_ROLES as readonly string[]).includes(role)) throw new Error(usage)
  // Admins are members too, so an admin token carries both roles.
  const roles = role === 'admin' ? ['member', 'admin'] : [role]
  console.log(await signSessionJwt(userId, roles, config.jwt))
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error)
  process.exit(1)
}
