import { ConfigError, loadConfig, type Config } from './config'
import { startServer } from './server'

let config: Config
try {
  config = loadConfig()
} catch (error) {
  // One line per variable, all at once, so a deploy is fixed in one go.
  if (!(error instanceof ConfigError)) throw error
  console.error(error.message)
  process.exit(1)
}

try {
  const server = await startServer(config)
  const shutdown = (signal: NodeJS.Signals) => {
    server.logger.info({ signal }, 'shutting down')
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.logger.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
} catch (error) {
  console.error('stream-express could not start:', error instanceof Error ? error.message : error)
  process.exit(1)
}
