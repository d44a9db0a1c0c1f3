import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import type { CallTokenProvider } from '@calltoken/core'
import { stream } from '@calltoken/stream'
import type { DestinationStream } from 'pino'
import { buildApp } from './app'
import type { Config } from './config'
import { openDatabase, type Database } from './db/client'
import { migrate } from './db/migrator'
import { seedDemoUsers } from './db/seed'
import { createLogger, type Logger } from './logger'

export interface StartOptions {
  /** Replaces the Stream provider built from the config (tests use a failing one). */
  readonly provider?: CallTokenProvider
  readonly now?: () => number
  /** Where log lines go; default stdout. */
  readonly logDestination?: DestinationStream
}

export interface RunningServer {
  /** http://host:port */
  readonly url: string
  readonly database: Database
  readonly logger: Logger
  /** Stops accepting requests, lets the current ones finish, closes the database. */
  close(): Promise<void>
}

/** Opens the database, migrates it, seeds the demo users (development), and listens. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = createLogger(config.logLevel, options.logDestination)
  const database = await openDatabase({
    ...config.database,
    onPoolError: (error) => logger.error({ err: error }, 'idle database connection failed'),
  })
  try {
    const applied = await migrate(database.db)
    logger.info({ driver: database.driver, applied }, applied.length > 0 ? 'database migrated' : 'database up to date')
    if (config.seedDemoUsers) {
      const seeded = await seedDemoUsers(database.db)
      if (seeded.length > 0) logger.info({ users: seeded }, 'created the demo users')
    }
    if (config.demoValues.length > 0) {
      logger.warn({ variables: config.demoValues }, 'using the documented DEMO credentials for these variables; never in production')
    }
    const provider = options.provider ?? stream(config.stream)
    const app = buildApp({ config, database, logger, provider, ...(options.now ? { now: options.now } : {}) })

    const server = app.listen(config.port, config.host)
    await once(server, 'listening')
    const { address, port } = server.address() as AddressInfo
    const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`
    logger.info({ url, driver: database.driver, anonymousTokens: config.allowAnonymousTokens }, 'listening')

    let closing: Promise<void> | undefined
    return {
      url,
      database,
      logger,
      close: () =>
        (closing ??= (async () => {
          await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
          await database.close()
        })()),
    }
  } catch (error) {
    await database.close()
    throw error
  }
}
