// Prints the X-Signature Stream would send for a body: `pnpm --filter @calltoken/example-stream-express sign-webhook '<json>'`,
// to try POST /webhooks/stream with curl. It signs with STREAM_API_SECRET (or the demo secret). Refused in production.
import { createHmac } from 'node:crypto'
import { ConfigError, loadConfig } from '../config'

const [body] = process.argv.slice(2)
try {
  const config = loadConfig()
  if (config.nodeEnv === 'production') throw new Error('the sign-webhook script is for development; production deliveries come from Stream')
  if (body === undefined) throw new Error("usage: sign-webhook '<json body>'")
  process.stdout.write(`${createHmac('sha256', config.stream.apiSecret).update(body).digest('hex')}\n`)
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error)
  process.exit(1)
}
