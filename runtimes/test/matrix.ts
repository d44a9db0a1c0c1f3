import { spawn } from 'node:child_process'

export type Kind = 'user' | 'call'

export interface Minted {
  provider: string
  kind: Kind
  token: string
  connect: unknown
  issuedAt: number
  expiresAt: number
  verified: true
  decoded: Record<string, unknown>
}

export interface Failed {
  provider: string
  kind: Kind
  stage: 'load' | 'mint' | 'verify'
  package?: string
  error: { code: string; message: string }
}

export interface MatrixOutput {
  runtime: string
  version: string
  /** How core signed there: 'node:crypto' (synchronous) or 'web-crypto'. */
  backend: string
  /** @calltoken/fetch's round trip there (see mint.mjs). */
  fetchBinding: Record<string, unknown>
  /** verifyWebhook there: each provider's signed delivery (its type and id) and a tampered one's error code. */
  webhooks: ({ provider: string; type: string; id: string | null; tampered: string } | { provider: string; error: unknown })[]
  results: (Minted | Failed)[]
  /** run.mjs: where each @calltoken/* package resolved. */
  resolved?: Record<string, string>
  /** The bundling runners: every @calltoken/* file in the bundle. */
  bundled?: string[]
  [extra: string]: unknown
}

/** agora-token's AccessToken2 parser, which the package neither exports nor types. */
export interface AgoraService {
  __type: number
  __privileges: Record<number, number>
  __channel_name?: unknown
  __uid?: unknown
  __user_id?: unknown
}
export interface AgoraToken {
  appId: unknown
  issueTs: number
  expire: number
  salt: number
  from_string(token: string): boolean
  verifySignature(appCertificate: string): boolean
  getServices(type: number): AgoraService[]
}

const TIMEOUT_MS = 90_000

/**
 * Runs one runtime's mint script as a child process, with a minimal environment (nothing from the developer's
 * shell reaches the runtime but PATH, HOME and the temp directory), and parses the JSON line it prints.
 */
export function runMatrix(file: string, args: readonly string[], cwd: string): Promise<MatrixOutput> {
  const env: Record<string, string> = { NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' }
  for (const name of ['PATH', 'HOME', 'TMPDIR']) if (process.env[name] !== undefined) env[name] = process.env[name]!
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: TIMEOUT_MS, killSignal: 'SIGKILL' })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').reverse().find((l) => l.startsWith('{"runtime"'))
      if (code !== 0 || line === undefined) {
        reject(new Error(`${file} ${args.join(' ')} exited with ${signal ?? code}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`))
        return
      }
      resolve(JSON.parse(line) as MatrixOutput)
    })
  })
}
