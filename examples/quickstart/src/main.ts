import { demoProviders, runDemo, type DemoResult } from './demo'

function print({ provider, notes, userToken, callToken, verified }: DemoResult): void {
  console.log(`\n=== ${provider} ===`)
  for (const note of notes) console.log(`  (${note})`)
  for (const [label, issued, decoded] of [
    ['user token', userToken, verified.user],
    ['call token', callToken, verified.call],
  ] as const) {
    console.log(`\n${label}: ${issued.token}`)
    console.log(`  expires ${issued.expiresAt.toISOString()} (${issued.validityInSeconds} s); connect with`, issued.connect)
    console.log('  decoded claims:', decoded.claims)
  }
}

for (const demo of demoProviders()) print(await runDemo(demo))
