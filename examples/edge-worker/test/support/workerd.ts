// The Worker as Cloudflare runs it: bundled from the built packages the way wrangler bundles it, then served by
// workerd through miniflare with wrangler.jsonc's compatibility date and flags (no nodejs_compat), over real HTTP.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseEnv } from 'node:util'
import { build } from 'esbuild'
import ts from 'typescript'
import { BIN } from '../../../../runtimes/test/binaries'
import type { HostConfig } from './miniflare-host'

export const EXAMPLE = fileURLToPath(new URL('../../', import.meta.url))
const HOST = fileURLToPath(new URL('./miniflare-host.ts', import.meta.url))
const START_TIMEOUT_MS = 60_000

export interface WranglerConfig {
  readonly name: string
  readonly main: string
  readonly compatibility_date: string
  readonly compatibility_flags?: readonly string[]
  readonly vars?: Readonly<Record<string, string>>
}

/** wrangler.jsonc, read as wrangler reads it (JSON with comments). */
export function wranglerConfig(): WranglerConfig {
  const { config, error } = ts.parseConfigFileTextToJson('wrangler.jsonc', readFileSync(join(EXAMPLE, 'wrangler.jsonc'), 'utf8'))
  if (error) throw new Error(`wrangler.jsonc: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`)
  return config as WranglerConfig
}

/** .dev.vars.example: the local values the README copies to .dev.vars. */
export const devVarsExample = (): Record<string, string> =>
  parseEnv(readFileSync(join(EXAMPLE, '.dev.vars.example'), 'utf8')) as Record<string, string>

export interface Bundle {
  readonly script: string
  /** Every input file that reached the bundle, relative to the repository root. */
  readonly inputs: readonly string[]
}

/**
 * wrangler.jsonc's `main`, bundled with wrangler's own esbuild options (wrangler 4's bundleWorker): ESM, one file,
 * the `workerd`, `worker` and `browser` conditions, esbuild's default (browser) platform, target es2024. Without
 * nodejs_compat wrangler adds no Node polyfills or built-ins, so a `node:` import fails the build here as it fails
 * `wrangler deploy`. The example's own tsconfig.json has no `paths`: @calltoken/* resolve from node_modules to the
 * built dist, as for any user.
 */
export async function bundleWorker(outdir: string): Promise<Bundle> {
  const result = await build({
    entryPoints: [join(EXAMPLE, wranglerConfig().main)],
    absWorkingDir: EXAMPLE,
    outdir,
    bundle: true,
    format: 'esm',
    target: 'es2024',
    conditions: ['workerd', 'worker', 'browser'],
    external: ['__STATIC_CONTENT_MANIFEST', 'cloudflare:*'],
    define: { 'process.env.NODE_ENV': '"production"', 'global.process.env.NODE_ENV': '"production"', 'globalThis.process.env.NODE_ENV': '"production"' },
    tsconfig: join(EXAMPLE, 'tsconfig.json'),
    metafile: true,
    logLevel: 'silent',
  })
  const script = Object.keys(result.metafile.outputs).find((file) => result.metafile.outputs[file]?.entryPoint)
  if (script === undefined) throw new Error('esbuild wrote no bundle')
  const root = join(EXAMPLE, '../..')
  return { script: join(EXAMPLE, script), inputs: Object.keys(result.metafile.inputs).map((file) => relative(root, join(EXAMPLE, file))) }
}

export interface RunningWorkers {
  readonly bundle: Bundle
  /** The address of one Worker, e.g. `url('stream', '/health')`. */
  url(name: string, path?: string): string
  /** What that Worker has logged so far, line by line. */
  logs(name: string): readonly string[]
  stop(): Promise<void>
}

/**
 * Bundles the Worker and serves it once per entry of `workers` (its name → its env), each an instance of its own on
 * a free port of 127.0.0.1. miniflare requires Node ≥ 22, so it runs in a child process on the registry's Node 22
 * (runtimes/node-binaries), whatever node runs vitest.
 */
export async function startWorkers(workers: HostConfig['workers']): Promise<RunningWorkers> {
  const dir = await mkdtemp(join(tmpdir(), 'calltoken-edge-worker-'))
  const bundle = await bundleWorker(dir)
  const wrangler = wranglerConfig()
  const config: HostConfig = {
    script: bundle.script,
    compatibilityDate: wrangler.compatibility_date,
    compatibilityFlags: wrangler.compatibility_flags ?? [],
    workers,
  }
  await writeFile(join(dir, 'host.json'), JSON.stringify(config))
  const env: Record<string, string> = { NO_COLOR: '1' }
  for (const name of ['PATH', 'HOME', 'TMPDIR']) if (process.env[name] !== undefined) env[name] = process.env[name]!
  const child = spawn(BIN.node22, [HOST, join(dir, 'host.json')], { cwd: EXAMPLE, env, stdio: ['pipe', 'pipe', 'pipe'] })
  const logs = new Map<string, string[]>(Object.keys(workers).map((name) => [name, []]))
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()))

  const urls = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`miniflare did not start within ${START_TIMEOUT_MS / 1000} s\n${stderr}`)), START_TIMEOUT_MS)
    void closed.then(() => reject(new Error(`miniflare exited before it was ready\n${stderr}`)))
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as { ready?: Record<string, string>; log?: string; line?: string }
      if (message.log !== undefined) logs.get(message.log)?.push(message.line ?? '')
      if (message.ready) {
        clearTimeout(timer)
        resolve(message.ready)
      }
    })
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL')
    await rm(dir, { recursive: true, force: true })
    throw error
  })

  return {
    bundle,
    url: (name, path = '/') => {
      const base = urls[name]
      if (base === undefined) throw new Error(`no Worker named ${name}`)
      return new URL(path, base).href
    },
    logs: (name) => logs.get(name) ?? [],
    async stop() {
      child.stdin.end()
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await closed
      clearTimeout(killer)
      await rm(dir, { recursive: true, force: true })
    },
  }
}
