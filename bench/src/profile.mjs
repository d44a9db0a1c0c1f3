// Where a mint case spends its time: runs it in a loop under `node --cpu-prof` in a child process and prints the
// top frames by self time and by total time (from the .cpuprofile, which is then deleted unless --keep).
//   node src/profile.mjs [case] [--seconds 3] [--keep]
//   case: any mint case, e.g. stream-ours-svc (default), stream-raw, agora-ours-svc, agora-raw, twilio-ours-svc, livekit-sdk
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { summarize } from './lib/cpuprofile.mjs'
import { isMain } from './lib/is-main.mjs'

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const k = args.indexOf(name)
  return k >= 0 ? args[k + 1] : fallback
}
const caseId = option('--target') ?? args.find((a, k) => !a.startsWith('--') && args[k - 1] !== '--seconds') ?? 'stream-ours-svc'
const seconds = Number(option('--seconds', '3'))

async function target() {
  const { agoraCases, dailyCases, liveKitCases, streamCases, twilioCases, zoomCases } = await import('./mint.mjs')
  const cases = [...streamCases(), ...agoraCases(), ...twilioCases(), ...liveKitCases(), ...zoomCases(), ...dailyCases()]
  const c = cases.find((x) => x.id === caseId)
  if (!c) throw new Error(`unknown case ${caseId}; one of ${cases.map((x) => x.id).join(', ')}`)
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9))
  let n = 0
  while (process.hrtime.bigint() < end) {
    for (let k = 0; k < 32; k++, n++) {
      if (c.async) await c.fn(n & 1023)
      else c.fn(n & 1023)
    }
  }
  process.stdout.write(JSON.stringify({ ops: n }))
}

function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'calltoken-prof-'))
  const self = fileURLToPath(import.meta.url)
  const child = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, self, '--target', caseId, '--seconds', String(seconds)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  if (child.status !== 0) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`profiling child exited ${child.status}`)
  }
  const { ops } = JSON.parse(child.stdout)
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
  const { all, self: selfTop, total } = summarize(JSON.parse(readFileSync(path.join(dir, file), 'utf8')))
  console.log(`${caseId}: ${ops.toLocaleString('en-US')} tokens in ${seconds} s under the profiler (${(all / 1000).toFixed(0)} ms sampled)`)
  console.log('\nTop frames by self time:')
  console.log(selfTop)
  console.log('\nTop frames by total time (inclusive):')
  console.log(total)
  if (args.includes('--keep')) console.log(`\nprofile kept: ${path.join(dir, file)}`)
  else rmSync(dir, { recursive: true, force: true })
}

if (isMain(import.meta.url)) {
  if (args.includes('--target')) await target()
  else main()
}
