// Runs edge.mjs, bundled into one classic script, in Vercel's edge-runtime (EdgeRuntime, an EdgeVM with the fetch
// event, served by runServer on 127.0.0.1), and prints the matrix JSON on one line (plus the edge-runtime version).
// Usage: node run-edge.mjs
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EdgeRuntime, runServer } from 'edge-runtime'
import { bundle } from './bundle.mjs'

const require = createRequire(import.meta.url)
const edgeRuntimeVersion = JSON.parse(readFileSync(require.resolve('edge-runtime/package.json'), 'utf8')).version
const vmVersion = JSON.parse(readFileSync(createRequire(require.resolve('edge-runtime')).resolve('@edge-runtime/vm/package.json'), 'utf8')).version

const outdir = mkdtempSync(join(tmpdir(), 'calltoken-edge-'))
let server
try {
  const { files, calltokenInputs } = await bundle({ entry: fileURLToPath(new URL('./edge.mjs', import.meta.url)), outdir, format: 'iife' })
  const runtime = new EdgeRuntime({ initialCode: readFileSync(/** @type {string} */ (files[0]), 'utf8') })
  server = await runServer({ runtime, host: '127.0.0.1', port: 0 })
  const response = await fetch(server.url)
  const output = /** @type {Record<string, unknown>} */ (await response.json())
  console.log(JSON.stringify({ ...output, edgeRuntime: edgeRuntimeVersion, edgeRuntimeVm: vmVersion, bundled: calltokenInputs }))
} finally {
  await server?.close()
  rmSync(outdir, { recursive: true, force: true })
}
