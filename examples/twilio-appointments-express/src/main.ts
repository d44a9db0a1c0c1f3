import { ConfigError, loadConfig } from './config'
import { startApp } from './start'

let config
try {
  config = loadConfig()
} catch (error) {
  // One line per bad variable, all at once; no stack trace to scroll past.
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
}

const running = await startApp(config)

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return
    stopping = true
    // Close the server and then the database, so PGlite flushes its files before the process ends.
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  })
}
