import { buildApp, maskedUrl } from './app.ts'
import { ConfigError, loadConfig, type Config } from './config.ts'
import { openDatabase } from './db/client.ts'
import { migrate } from './db/migrator.ts'
import { createLogger } from './logger.ts'
import { publicIdOf } from './public-id.ts'

let config: Config
try {
  config = loadConfig()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(error.message)
  process.exit(1)
}

const logger = createLogger({ level: config.logLevel, maskUrl: maskedUrl(publicIdOf(config.publicIdSecret)) })
if (config.demoCredentials.length > 0) {
  logger.warn({ demo: config.demoCredentials }, 'using the documented DEMO credentials (refused when NODE_ENV=production)')
}

const database = await openDatabase({
  ...config.database,
  onPoolError: (error) => logger.error({ err: error }, 'idle database connection failed'),
})
const applied = await migrate(database.db)
logger.info({ database: database.kind, applied }, 'database ready')

const app = await buildApp({ config, database, logger })
await app.listen({ host: config.host, port: config.port })

// Finish the requests in flight, then close the database (PGlite flushes its files on close).
let closing = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (closing) return
    closing = true
    logger.info({ signal }, 'shutting down')
    app
      .close()
      .then(() => database.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed')
          process.exit(1)
        },
      )
  })
}
