import { isMain } from './lib/is-main.mjs'
// What the mint path loads: in a child process, require an adapter and @calltoken/core, mint one call token,
// and list the packages behind every file in require.cache. Only @calltoken/* is expected (core has no runtime dependency);
// jose (or any SDK) showing up is printed as a warning.
// Run alone: node src/modules.mjs   (or as part of run-all.mjs)
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const benchDir = fileURLToPath(new URL('..', import.meta.url))
const script = fileURLToPath(new URL('./cold/loaded-modules.cjs', import.meta.url))

const ADAPTERS = [
  { which: 'stream', pkg: '@calltoken/stream' },
  { which: 'agora', pkg: '@calltoken/agora' },
  { which: 'twilio', pkg: '@calltoken/twilio' },
]

const expected = (name) => name.startsWith('@calltoken/')

export async function runModuleCheck({ log = console.log } = {}) {
  log('\n== Packages loaded by the mint path (CJS: require adapter + core, mint one call token, read require.cache)')
  const results = []
  const broken = []
  const warnings = []
  for (const adapter of ADAPTERS) {
    const child = spawnSync(process.execPath, [script, adapter.which], { cwd: benchDir, encoding: 'utf8' })
    if (child.status !== 0) {
      const reason = `exit ${child.status}: ${child.stderr.trim().split('\n').slice(0, 3).join(' | ')}`
      broken.push({ id: `modules-${adapter.which}`, reason })
      log(`  BROKEN ${adapter.pkg}: ${reason}`)
      continue
    }
    const out = JSON.parse(child.stdout)
    const unexpected = Object.keys(out.packages).filter((name) => !expected(name))
    const list = Object.entries(out.packages).map(([name, files]) => `${name} (${files} file${files === 1 ? '' : 's'})`).join(', ')
    log(`  ${adapter.pkg}: ${out.files} files: ${list}`)
    for (const name of unexpected) {
      const line = `${adapter.pkg}: the mint path loaded ${name}${name === 'jose' ? ' (jose should not be on the Node mint path)' : ''}`
      warnings.push(line)
      log(`  WARNING ${line}`)
    }
    if (unexpected.length === 0) log('    ok: only @calltoken/*')
    results.push({ which: adapter.which, files: out.files, packages: out.packages, unexpected })
  }
  return { section: { at: new Date().toISOString(), results, warnings, broken }, warnings, broken }
}


if (isMain(import.meta.url)) {
  const result = await runModuleCheck()
  if (result.broken.length > 0) process.exitCode = 1
}
