import { inspect } from 'node:util'
import type { DemoResult } from './demo'
import { formatClaims, indent } from './readable-claims'

/** What the in-process demo prints for one provider: each token, when it expires, what to connect with, its claims. */
export function formatDemoResult({ provider, notes, userToken, callToken, verified }: DemoResult): string {
  const lines = [`\n=== ${provider} ===`, ...notes.map((note) => `  (${note})`)]
  for (const [label, issued, decoded] of [
    ['user token', userToken, verified.user],
    ['call token', callToken, verified.call],
  ] as const) {
    lines.push(
      `\n${label}: ${issued.token}`,
      `  expires ${issued.expiresAt.toISOString()} (${issued.validityInSeconds} s); connect with ${indent(inspect(issued.connect, { depth: null, breakLength: 120 }))}`,
      `  decoded claims: ${indent(formatClaims(provider, decoded.claims))}`,
    )
  }
  return lines.join('\n')
}
