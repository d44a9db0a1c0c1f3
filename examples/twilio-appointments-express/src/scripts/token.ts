// `pnpm --filter @calltoken/example-twilio-appointments-express token <userId>`: prints a demo session JWT (1 hour).
import { ConfigError, loadConfig } from '../config'
import { signSessionToken } from '../session-token'

const userId = process.argv[2]
if (process.env.NODE_ENV === 'production') {
  console.error('Refusing to print session tokens with NODE_ENV=production: they come from your identity system there.')
  process.exit(1)
}
if (!userId || !/^[1-9]\d*$/.test(userId)) {
  console.error('Usage: token <userId>   (demo users: 1 = Dr. Sarah Miller, 2 = Jane Doe, 3 = John Roe)')
  process.exit(1)
}
try {
  console.log(await signSessionToken(loadConfig().sessionJwtSecret, userId))
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
}
