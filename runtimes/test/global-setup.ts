import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runtimeVersions } from './binaries'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const PACKAGES = ['core', 'stream', 'agora', 'twilio', 'fetch']

function newest(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(0, ...readdirSync(path).map((entry) => newest(join(path, entry))))
}

function oldest(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.min(Infinity, ...readdirSync(path).map((entry) => oldest(join(path, entry))))
}

/** A package whose dist is missing or older than anything it is built from. */
function stale(name: string): boolean {
  const dir = join(ROOT, 'packages', name)
  const dist = join(dir, 'dist')
  if (!existsSync(join(dist, 'index.js'))) return true
  const inputs = Math.max(newest(join(dir, 'src')), newest(join(dir, 'package.json')), newest(join(dir, 'tsup.config.ts')), newest(join(ROOT, 'tsup.config.base.ts')))
  return oldest(dist) < inputs
}

/**
 * Builds `packages` (names under packages/, in dependency order) when the dist of any of them is missing or older
 * than its sources, all of them, since each package's types are built against those of the packages it depends on.
 * CI builds everything before the tests (`pnpm build`), so there this does nothing. `who` names the caller in the log.
 */
export function buildStaleDist(packages: readonly string[], who: string): void {
  const toBuild = packages.filter(stale)
  if (toBuild.length === 0) return
  console.log(`[${who}] building ${packages.join(', ')}: the dist of ${toBuild.join(', ')} is missing or older than its sources`)
  const filters = packages.flatMap((p) => ['--filter', `@calltoken/${p}`])
  execFileSync('npx', ['-y', 'pnpm@10.34.9', ...filters, 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] })
}

// The matrix runs the BUILT packages (dist), as users get them. CI builds them before (`pnpm build`); otherwise,
// or when a source is newer than its dist, they are built here, with their own build scripts.
export default function setup(): void {
  buildStaleDist(PACKAGES, 'runtimes')
  const versions = runtimeVersions()
  const width = Math.max(...Object.keys(versions).map((k) => k.length))
  console.log(['[runtimes] versions:', ...Object.entries(versions).map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n'))
}
