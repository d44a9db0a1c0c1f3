import { runAppDemos } from './app-demo'
import { DEMO_APPS } from './apps'
import { demoProviders, runDemo } from './demo'
import { printAppResult } from './print-app'
import { formatDemoResult } from './print-demo'

// Part 1: tokens minted in this process.
for (const demo of demoProviders()) console.log(formatDemoResult(await runDemo(demo)))

// Part 2: the example apps, each started on its embedded defaults and asked for a token over HTTP.
console.log(`\n=== the example apps over HTTP: starting ${DEMO_APPS.map((app) => app.name).join(', ')} ===`)
const interrupt = new AbortController()
let interruptedBy: NodeJS.Signals | undefined
const onSignal = (signal: NodeJS.Signals) => {
  if (interruptedBy) return
  interruptedBy = signal
  console.error(`\n${signal}: stopping the apps and removing their data…`)
  interrupt.abort(new Error(signal))
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)
const results = await runAppDemos(DEMO_APPS, { signal: interrupt.signal, onProgress: (line) => console.log(line) })
process.off('SIGINT', onSignal)
process.off('SIGTERM', onSignal)

for (const result of results) printAppResult(result)
const served = results.filter((result) => result.ok).length
console.log(`\n${served} of ${results.length} apps served a token${interruptedBy ? ` (interrupted by ${interruptedBy})` : ''}; all stopped, their data removed.`)
process.exitCode = interruptedBy ? (interruptedBy === 'SIGINT' ? 130 : 143) : served === results.length ? 0 : 1
