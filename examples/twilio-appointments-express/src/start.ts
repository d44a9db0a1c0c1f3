import type { AddressInfo } from 'node:net'
import type { DestinationStream } from 'pino'
import { buildApp } from './app'
import type { Config } from './config'
import { openDatabase, type Database } from './db/client'
import { migrate } from './db/migrator'
import { seedDemoData } from './demo-data'
import { createLogger } from './logger'

export interface StartOptions {
  /** An open database to use (and leave open on close); by default the one the config names is opened. */
  database?: Database
  /** Where the logs go; default stdout. */
  logDestination?: DestinationStream
  now?: () => number
}

export interface RunningApp {
  /** http://host:port the server listens on. */
  readonly url: string
  close(): Promise<void>
}

/** Everything main.ts does: logger, database, migrations, demo data, app, listen. Tests start the app through it too. */
export async function startApp(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  const logger = createLogger(config, options.logDestination)
  for (const name of config.demoValuesUsed) logger.warn(`${name} is not set: using its documented DEMO value (refused when NODE_ENV=production)`)

  const ownsDatabase = options.database === undefined
  const database = options.database ?? (await openDatabase(config.database, { onPoolError: (err) => logger.error({ err }, 'idle database connection failed') }))
  try {
    const applied = await migrate(database)
    logger.info({ database: database.kind, applied }, applied.length > 0 ? 'migrations applied' : 'database schema is up to date')
    if (config.seedDemoData) await seedDemoData(database.db)

    const app = buildApp({ config, db: database.db, logger, ...(options.now ? { now: options.now } : {}) })
    const server = app.listen(config.port, config.host)
    await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject))
    const { port } = server.address() as AddressInfo
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
    logger.info({ url, publicBaseUrl: config.publicBaseUrl }, 'listening')

    return {
      url,
      async close() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeIdleConnections()
        })
        if (ownsDatabase) await database.close()
        logger.info('stopped')
      },
    }
  } catch (error) {
    if (ownsDatabase) await database.close().catch(() => undefined)
    throw error
  }
}
