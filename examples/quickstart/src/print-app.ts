import { inspect } from 'node:util'
import type { AppDemoResult } from './app-demo'

const OUTPUT_TAIL_LINES = 30

/** What one app did, for the terminal: where it ran, the routes it answered, the token and its decoded claims. */
export function printAppResult({ app, url, health, steps, served, decoded, error, output, stopped, ok }: AppDemoResult): void {
  console.log(`\n=== ${app.name}: ${app.title} ===`)
  if (url) console.log(`  ran at ${url} on its embedded defaults (demo credentials, PGlite in a temporary directory)`)
  if (health !== undefined) console.log(`  GET ${app.healthPath} → 200`, JSON.stringify(health))
  const tokenScript = `pnpm --filter ${app.packageName} token ${app.session.args.join(' ')}`
  if (steps.length > 0) console.log(`  session JWT from its demo helper (\`${tokenScript}\`)`)
  for (const step of steps) console.log(`  ${step.method} ${step.path} → ${step.status}`)
  if (served && decoded) {
    console.log(`\ntoken from ${served.route}: ${served.token}`)
    console.log(
      `  ${app.provider.id} provider.decode: user ${decoded.userId}, call ${decoded.callId ?? '(none)'},`,
      `expires ${new Date(decoded.expiresAt * 1000).toISOString()}`,
    )
    console.log('  decoded claims:', inspect(decoded.claims, { depth: null }))
  }
  if (stopped) console.log(`  stopped: ${stopped.forced ? 'killed after SIGTERM timed out' : `exit ${stopped.code ?? stopped.signal}`}; temporary data removed`)
  if (!ok) {
    console.log(`  FAILED: ${error}`)
    if (output) {
      const tail = output.trimEnd().split('\n').slice(-OUTPUT_TAIL_LINES)
      console.log(`  its last ${tail.length} output lines:\n${tail.map((line) => `    | ${line}`).join('\n')}`)
    }
  }
}
