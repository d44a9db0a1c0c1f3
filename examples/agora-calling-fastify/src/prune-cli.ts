// The `prune-calls` script — deletes call records older than RETENTION_DAYS (default 90). Run it daily (cron, a scheduled job).
import { pruneCalls } from './calls/prune.ts'
import { systemClock } from './clock.ts'
import { ConfigError, loadConfig, type Config } from './config.ts'
import { openDatabase } from './db/client.ts'
import { migrate } from './db/migrator.ts'
import { createLogger } from './logger.ts'

let config: Config
try {
  config = loadConfig()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(error.message)
  process.exit(1)
}

const logger = createLogger({ level: config.logLevel })
const database = await openDatabase({ ...config.database, onPoolError: (error) => logger.error({ err: error }, 'idle database connection failed') })
try {
  // The same migrations as the app, so pruning a fresh database works too.
  await migrate(database.db)
  const { deleted, cutoff } = await pruneCalls(database.db, systemClock(), config.retentionDays)
  logger.info({ deleted, cutoff: cutoff.toISOString(), retentionDays: config.retentionDays, database: database.kind }, 'pruned call records')
} catch (error) {
  logger.error({ err: error }, 'prune failed')
  process.exitCode = 1
} finally {
  await database.close()
}
