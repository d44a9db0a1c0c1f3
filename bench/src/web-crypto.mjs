import { isMain } from './lib/is-main.mjs'
// The Web Crypto path's mint rate, on Node, Bun and Deno: our Stream call token signed with Web Crypto against jose's
// SignJWT and livekit-server-sdk's toJwt (both Web Crypto too) in the same process, window by window. One bundle of
// portable/web-crypto-mint.mjs, built with the conditions Workers resolve, runs in each runtime.
// Run alone: node src/web-crypto.mjs [--quick]   (or as part of run-all.mjs)
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { saveResults } from './lib/results.mjs'
import { settings as defaultSettings } from './lib/settings.mjs'
import { int, ratioRange, table } from './lib/stats.mjs'

const runtimesDir = fileURLToPath(new URL('../../runtimes/', import.meta.url))
// The runtime matrix's pinned binaries (runtimes/package.json): the bench runs where that matrix runs.
const RUNTIMES = [
  { name: 'node', file: process.execPath, args: (bundle) => [bundle] },
  { name: 'bun', file: join(runtimesDir, 'node_modules/bun/bin/bun.exe'), args: (bundle) => [bundle] },
  // --allow-env for livekit-server-sdk only: its protobuf runtime reads process.env at load (calltoken reads none).
  { name: 'deno', file: join(runtimesDir, 'node_modules/deno/deno'), args: (bundle) => ['run', '--no-prompt', '--no-lock', '--allow-env', bundle] },
]

async function bundle(outdir, mint) {
  const outfile = join(outdir, 'web-crypto-mint.mjs')
  await build({
    entryPoints: [fileURLToPath(new URL('./portable/web-crypto-mint.mjs', import.meta.url))],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    // As wrangler resolves for Workers: package.json "imports" then give @calltoken/core its Web Crypto backend.
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    target: 'es2022',
    define: { 'globalThis.BENCH_SETTINGS': JSON.stringify(JSON.stringify(mint)) },
    // Never the root tsconfig.json, whose `paths` map @calltoken/* to the sources: the bench measures the built dist.
    tsconfigRaw: {},
    logLevel: 'silent',
  })
  return outfile
}

export async function runWebCrypto({ settings = defaultSettings, log = console.log } = {}) {
  const s = settings.mint
  log(`\n== Web Crypto mint rate: ours vs jose SignJWT vs livekit toJwt, per runtime (${s.windows} x ${s.windowMs} ms windows per case, round-robin${settings.quick ? '; QUICK' : ''})`)
  const outdir = mkdtempSync(join(tmpdir(), 'calltoken-bench-web-'))
  const results = []
  const broken = []
  try {
    const file = await bundle(outdir, s)
    for (const r of RUNTIMES) {
      if (!existsSync(r.file)) {
        broken.push({ id: `web-crypto-${r.name}`, reason: `${r.file} is missing: install the workspace (runtimes/ pins bun and deno)` })
        continue
      }
      const child = spawnSync(r.file, r.args(file), { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } })
      const line = child.stdout?.split('\n').find((l) => l.startsWith('{'))
      if (child.status !== 0 || !line) {
        broken.push({ id: `web-crypto-${r.name}`, reason: `exit ${child.status}: ${(child.stderr || child.stdout || '').trim().split('\n').slice(-3).join(' | ')}` })
        continue
      }
      const out = JSON.parse(line)
      if (out.backend !== 'web-crypto') broken.push({ id: `web-crypto-${r.name}`, reason: `the bundle signed with ${out.backend}, not Web Crypto` })
      results.push({ runtime: r.name, ...out })
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true })
  }
  const rows = results.flatMap((r) =>
    r.cases.map((c) => [`${r.runtime} ${r.version}`, c.label, int(c.median), c.id === 'ours' ? '1' : ratioRange(r.oursVs[c.id])]),
  )
  log(
    table(
      [
        { title: 'runtime', align: 'left' },
        { title: 'case', align: 'left' },
        { title: 'tok/s median', align: 'right' },
        { title: 'ours vs this: median (min–max)', align: 'right' },
      ],
      rows,
    ),
  )
  for (const b of broken) log(`  BROKEN ${b.id}: ${b.reason}`)
  const info = results.flatMap((r) =>
    Object.entries(r.oursVs).map(([id, ratio]) => ({ text: `Web Crypto on ${r.runtime}: ours vs ${id}`, ratio })),
  )
  return { section: { results, broken }, info, broken }
}

if (isMain(import.meta.url)) {
  const { section, broken } = await runWebCrypto()
  saveResults({ webCrypto: section }, { fresh: false })
  if (broken.length > 0) process.exitCode = 1
}
