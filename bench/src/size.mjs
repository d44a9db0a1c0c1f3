import { isMain } from './lib/is-main.mjs'
// Size: what a user ships. (1) A minified esbuild bundle (ESM, --bundle --minify) of a function that mints a call
// token, for Stream and for Agora, resolved for Node (node:crypto, node:zlib stay imports) and for Workers (the Web
// Crypto backends, everything inlined). (2) The installed size of core + one adapter: `pnpm pack` of each package,
// `npm install` of the tarballs in an empty project, then the bytes of node_modules (as `du -sb` counts them).
// Run alone: node src/size.mjs   (or as part of run-all.mjs)
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { judge } from './lib/goals.mjs'
import { saveResults } from './lib/results.mjs'
import { int, table } from './lib/stats.mjs'

const root = fileURLToPath(new URL('../../', import.meta.url))
const KIB = 1024

// The function a token endpoint would bundle: one call token per request, nothing else.
const ENTRIES = {
  stream: `import { createCallToken } from '@calltoken/core'
import { stream } from '@calltoken/stream'
const provider = stream({ apiKey: 'k7bench2mq4z', apiSecret: 'q8w3ndx7r2bth5vk9mjc4ylp6sfg0ez1ua8oi3hn7kwt2bq5rdx9jmc4vlp6sy0f' })
export const mint = (userId, callId) => createCallToken({ userId, callId }, { provider })
`,
  agora: `import { createCallToken } from '@calltoken/core'
import { agora } from '@calltoken/agora'
const provider = agora({ appId: '5f1c9a7e3b2d4c6a8e0f1b3d5a7c9e2f', appCertificate: 'a3c5e7f9b1d2046a8c0e2f4b6d8a1c3e' })
export const mint = (userId, callId) => createCallToken({ userId, callId }, { provider })
`,
}
const TARGETS = {
  node: { platform: 'node', conditions: [] },
  workers: { platform: 'neutral', conditions: ['workerd', 'worker', 'browser'], mainFields: ['browser', 'module', 'main'] },
}

async function bundleBytes(dir, provider, target) {
  const entry = join(dir, `${provider}-entry.mjs`)
  writeFileSync(entry, ENTRIES[provider])
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
    nodePaths: [fileURLToPath(new URL('../node_modules', import.meta.url))],
    tsconfigRaw: {},
    logLevel: 'silent',
    ...TARGETS[target],
  })
  return result.outputFiles.reduce((sum, file) => sum + file.contents.length, 0)
}

/** Bytes of every file under `path`, as `du -sb` adds them (apparent sizes, directories included). */
function apparentBytes(path) {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.size
  return stat.size + readdirSync(path).reduce((sum, name) => sum + apparentBytes(join(path, name)), 0)
}

function installedBytes(dir, tarballs, packages) {
  const project = join(dir, `install-${packages.join('-')}`)
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'size-check', private: true }))
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...packages.map((p) => tarballs[p])], { cwd: project, stdio: 'pipe' })
  return apparentBytes(join(project, 'node_modules'))
}

export async function runSize({ log = console.log } = {}) {
  log('\n== Size: a minified bundle of a mint function, and core + one adapter installed from the packed tarballs')
  const dir = mkdtempSync(join(tmpdir(), 'calltoken-size-'))
  const broken = []
  const bundles = []
  const installs = []
  try {
    for (const provider of Object.keys(ENTRIES)) {
      for (const target of Object.keys(TARGETS)) bundles.push({ provider, target, bytes: await bundleBytes(dir, provider, target) })
    }
    const packDir = join(dir, 'packs')
    mkdirSync(packDir)
    const tarballs = {}
    for (const name of ['core', 'stream', 'agora', 'twilio']) {
      const out = execFileSync('npx', ['-y', 'pnpm@10.34.9', 'pack', '--pack-destination', packDir], { cwd: join(root, 'packages', name), encoding: 'utf8' })
      tarballs[name] = out.trim().split('\n').pop()
    }
    for (const adapter of ['stream', 'agora', 'twilio']) installs.push({ packages: ['core', adapter], bytes: installedBytes(dir, tarballs, ['core', adapter]) })
  } catch (error) {
    broken.push({ id: 'size', reason: error.message.split('\n')[0] })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  log(table([{ title: 'minified ESM bundle of a call-token mint', align: 'left' }, { title: 'resolved for', align: 'left' }, { title: 'bytes', align: 'right' }, { title: 'KiB', align: 'right' }],
    bundles.map((b) => [`@calltoken/core + @calltoken/${b.provider}`, b.target === 'node' ? 'Node (node:crypto, node:zlib imported)' : 'Workers (Web Crypto, JS deflate inlined)', int(b.bytes), (b.bytes / KIB).toFixed(1)])))
  log(table([{ title: 'npm install of the packed tarballs', align: 'left' }, { title: 'node_modules bytes (du -sb)', align: 'right' }, { title: 'MiB', align: 'right' }],
    installs.map((i) => [i.packages.map((p) => `@calltoken/${p}`).join(' + '), int(i.bytes), (i.bytes / KIB / KIB).toFixed(2)])))
  for (const b of broken) log(`  BROKEN ${b.id}: ${b.reason}`)
  const bytesGoal = (id, text, bytes, target) =>
    judge({ id, text, kind: 'bytes', op: '<=', target, measured: bytes === undefined ? undefined : { median: bytes, min: bytes, max: bytes }, unmeasured: bytes === undefined ? 'BROKEN (see above)' : undefined })
  const bundleOf = (provider, target) => bundles.find((b) => b.provider === provider && b.target === target)?.bytes
  const goals = [
    bytesGoal('size-bundle-stream', 'Size: minified bundle, Stream call-token mint (Node)', bundleOf('stream', 'node'), 40 * KIB),
    bytesGoal('size-bundle-agora', 'Size: minified bundle, Agora call-token mint (Node)', bundleOf('agora', 'node'), 40 * KIB),
    bytesGoal('size-installed-stream', 'Size: core + stream installed', installs.find((i) => i.packages[1] === 'stream')?.bytes, KIB * KIB),
    bytesGoal('size-installed-agora', 'Size: core + agora installed', installs.find((i) => i.packages[1] === 'agora')?.bytes, KIB * KIB),
  ]
  return { section: { bundles, installs, broken }, goals, broken }
}

if (isMain(import.meta.url)) {
  const { section, goals, broken } = await runSize()
  saveResults({ size: section }, { fresh: false })
  for (const g of goals) console.log(`  ${g.text}: ${int(g.measured?.median)} bytes, goal ≤ ${int(g.target)}: ${g.met ? 'met' : 'NOT MET'}`)
  if (broken.length > 0) process.exitCode = 1
}
