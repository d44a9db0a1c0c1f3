// Runs worker.mjs, bundled, in workerd through miniflare, with the compatibility date and flags given on the command
// line, and prints the matrix JSON on one line (plus the workerd and miniflare versions and the configuration).
// Needs Node 22 or later (miniflare's engines): the test runs it with the registry's Node 22.
// Usage: node run-workerd.mjs <compatibility-date> [flag,flag,…]
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Miniflare } from 'miniflare'
import { bundle } from './bundle.mjs'

const [compatibilityDate, flags = ''] = process.argv.slice(2)
if (!compatibilityDate) throw new Error('usage: run-workerd.mjs <compatibility-date> [flag,flag,…]')
const compatibilityFlags = flags.split(',').filter(Boolean)

const require = createRequire(import.meta.url)
const miniflareVersion = JSON.parse(readFileSync(require.resolve('miniflare/package.json'), 'utf8')).version
// The workerd binary miniflare itself runs: its own dependency, whose main export is the binary's path.
const workerdBin = createRequire(require.resolve('miniflare'))('workerd').default
const workerdVersion = execFileSync(workerdBin, ['--version'], { encoding: 'utf8' }).trim()

const outdir = mkdtempSync(join(tmpdir(), 'calltoken-workerd-'))
let mf
try {
  const { files, calltokenInputs } = await bundle({ entry: fileURLToPath(new URL('./worker.mjs', import.meta.url)), outdir, format: 'esm' })
  mf = new Miniflare({
    modules: files.map((file) => ({ type: 'ESModule', path: resolve(file), contents: readFileSync(file, 'utf8') })),
    modulesRoot: outdir,
    compatibilityDate,
    compatibilityFlags,
    host: '127.0.0.1',
    port: 0,
  })
  const response = await mf.dispatchFetch('http://localhost/')
  const output = /** @type {Record<string, unknown>} */ (await response.json())
  console.log(JSON.stringify({ ...output, workerd: workerdVersion, miniflare: miniflareVersion, compatibilityDate, compatibilityFlags, bundled: calltokenInputs }))
} finally {
  await mf?.dispose()
  rmSync(outdir, { recursive: true, force: true })
}
