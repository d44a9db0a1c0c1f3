// The whole bench: mint-path packages, mint throughput, cold start, HTTP (bindings vs hand-written routes), the Web
// Crypto path on Node, Bun and Deno, sizes; then a summary of every goal.
// `npx -y pnpm@10.34.9 bench` at the root builds the packages and runs this. BENCH_QUICK=1 (or --quick): a short run
// that only proves the bench works. Exits non-zero only when a case is broken, never because of speed.
import { runColdStart } from './cold-start.mjs'
import { runHttp } from './http.mjs'
import { goalsTable } from './lib/goals.mjs'
import { latestPath, machine, readJson, saveResults } from './lib/results.mjs'
import { settings } from './lib/settings.mjs'
import { ratio as formatRatio, ratioRange, signedMs } from './lib/stats.mjs'
import { runMint } from './mint.mjs'
import { runModuleCheck } from './modules.mjs'
import { runSize } from './size.mjs'
import { runWebCrypto } from './web-crypto.mjs'

const started = process.hrtime.bigint()
const m = machine()
console.log(`calltoken bench: Node ${m.node}, ${m.cpus} x ${m.cpu}, ${m.platform}${settings.quick ? '  [QUICK: figures are only a smoke test]' : ''}`)

const previous = readJson(latestPath)
const modules = await runModuleCheck()
const mint = await runMint({ settings })
const cold = await runColdStart({ settings })
const http = await runHttp({ settings })
const webCrypto = await runWebCrypto({ settings })
const size = await runSize()

const goals = [...mint.goals, ...cold.goals, ...http.goals, ...size.goals]
const broken = [...modules.broken, ...mint.broken, ...cold.broken, ...http.broken, ...webCrypto.broken, ...size.broken]
const warnings = [...modules.warnings, ...mint.section.warnings, ...cold.warnings, ...http.warnings]

console.log('\n== Summary (goals are informative: they never fail the run)')
console.log(goalsTable(goals, previous?.goals ?? []))
console.log('\nOther ratios (no goal):')
for (const { text, ratio, cpu } of mint.info) console.log(`  ${text}: ${ratioRange(ratio)}; by CPU time ${formatRatio(cpu.median)}`)
for (const { text, ratio, deltaMs } of cold.info) console.log(`  ${text}: ${ratioRange(ratio)}, ${signedMs(deltaMs.median)}`)
for (const { text, ratio, cpu } of http.info) console.log(`  ${text}: ${ratioRange(ratio)}; by server CPU ${formatRatio(cpu.median)}`)
for (const { text, ratio } of webCrypto.info) console.log(`  ${text}: ${ratioRange(ratio)}`)
for (const w of warnings) console.log(`  WARNING ${w}`)

const path = saveResults(
  { quick: settings.quick, modules: modules.section, mint: mint.section, cold: cold.section, http: http.section, webCrypto: webCrypto.section, size: size.section, goals },
  { fresh: true },
)
const seconds = Number(process.hrtime.bigint() - started) / 1e9
console.log(`\nwrote ${path}${previous ? ' (the run before is in previous.json)' : ''}; took ${seconds.toFixed(0)} s`)
if (broken.length > 0) {
  console.error(`\n${broken.length} broken case(s):`)
  for (const b of broken) console.error(`  ${b.id}: ${b.reason}`)
  process.exitCode = 1
}
