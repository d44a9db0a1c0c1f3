import type { AppDemoResult } from './app-demo'
import { formatClaims, indent } from './readable-claims'

const OUTPUT_TAIL_LINES = 30

/** What one app did, for the terminal: where it ran, the routes it answered, the token and its decoded claims. */
export function formatAppResult({ app, url, health, steps, served, decoded, error, output, stopped, ok }: AppDemoResult): string {
  const lines = [`\n=== ${app.name}: ${app.title} ===`]
  if (url) lines.push(`  ran at ${url} on its embedded defaults (demo credentials, PGlite in a temporary directory)`)
  if (health !== undefined) lines.push(`  GET ${app.healthPath} → 200 ${JSON.stringify(health)}`)
  const tokenScript = `npx -y pnpm@10.34.9 --silent --filter ${app.packageName} token ${app.session.args.join(' ')}`
  if (steps.length > 0) lines.push(`  session JWT from its demo helper (\`${tokenScript}\`)`)
  for (const step of steps) lines.push(`  ${step.method} ${step.path} → ${step.status}`)
  if (served && decoded) {
    lines.push(
      `\ntoken from ${served.route}: ${served.token}`,
      `  ${app.provider.id} provider.decode: user ${decoded.userId}, call ${decoded.callId ?? '(none)'}, expires ${new Date(decoded.expiresAt * 1000).toISOString()}`,
      `  decoded claims: ${indent(formatClaims(app.provider.id, decoded.claims))}`,
    )
  }
  if (stopped) lines.push(`  stopped: ${stopped.forced ? 'killed after SIGTERM timed out' : `exit ${stopped.code ?? stopped.signal}`}; temporary data removed`)
  if (!ok) {
    lines.push(`  FAILED: ${error}`)
    if (output) {
      const tail = output.trimEnd().split('\n').slice(-OUTPUT_TAIL_LINES)
      lines.push(`  its last ${tail.length} output lines:\n${tail.map((line) => `    | ${line}`).join('\n')}`)
    }
  }
  return lines.join('\n')
}

export function printAppResult(result: AppDemoResult): void {
  console.log(formatAppResult(result))
}
