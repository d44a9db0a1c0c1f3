import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import type { DemoApp } from './apps'
import { freePort } from './free-port'

const HOST = '127.0.0.1'
/** PGlite's first start (initdb) takes a few seconds; three at once on a busy machine take longer. */
const HEALTH_TIMEOUT_MS = 90_000
const STOP_TIMEOUT_MS = 10_000
const PORT_ATTEMPTS = 3

/** How the app process ended after `stop()`. */
export interface StopResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  /** True when it ignored SIGTERM and had to be killed. */
  readonly forced: boolean
}

export interface RunningApp {
  /** http://127.0.0.1:<port> */
  readonly url: string
  /** The temporary directory holding its PGlite data; removed by `stop()`. */
  readonly dataDir: string
  /** The health endpoint's answer once it said 200. */
  readonly health: unknown
  /** Runs one of the app's scripts (e.g. its token helper) in its folder and environment; resolves to its stdout. Killed on abort. */
  script(file: string, args: readonly string[]): Promise<string>
  /** Everything the app wrote to stdout and stderr so far. */
  output(): string
  /** SIGTERM (SIGKILL after 10 s), then removes the data directory. Safe to call more than once. */
  stop(): Promise<StopResult>
}

/** The app failed to start or to answer; `output` is what it wrote. */
export class AppError extends Error {
  constructor(message: string, readonly output: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'AppError'
  }
}

/**
 * The app's own defaults, nothing from the developer's shell: no NODE_ENV, DATABASE_URL, credentials or PORT
 * leak in. Only what a process needs to run (PATH, HOME, the temp directory) is kept.
 */
export function embeddedDefaultsEnv(app: DemoApp, port: number, pgliteDir: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'SYSTEMROOT', 'USERPROFILE']) {
    const value = process.env[name]
    if (value !== undefined) env[name] = value
  }
  // The demo runs the packages from their sources (no build): tsx maps @calltoken/* through this tsconfig's paths.
  const tsconfig = process.env.TSX_TSCONFIG_PATH
  if (tsconfig !== undefined) env.TSX_TSCONFIG_PATH = resolve(tsconfig)
  return { ...env, HOST, PORT: String(port), [app.pgliteDirVariable]: pgliteDir }
}

/** `tsx <file>` in the app's folder, as its package scripts run it, but as one process (signals reach the app itself). */
function spawnTs(dir: string, env: Record<string, string>, file: string, args: readonly string[], signal?: AbortSignal): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(signal ? { signal } : {}),
  })
}

export interface StartOptions {
  /**
   * Start the app with this shell command line instead (e.g. its README's `npx -y pnpm@10.34.9 --filter … dev`), run
   * with bash from `cwd` in the same environment. It runs in a process group of its own, which `stop()` signals whole.
   */
  readonly command?: { readonly line: string; readonly cwd: string }
}

/** Starts the app on a free port with a fresh PGlite directory and waits for its health endpoint to say 200. */
export async function startApp(app: DemoApp, signal: AbortSignal, options: StartOptions = {}): Promise<RunningApp> {
  for (let attempt = 1; ; attempt++) {
    const running = await launch(app, await freePort(HOST), signal, options)
    try {
      await running.waitHealthy()
      return running
    } catch (error) {
      await running.stop()
      // Another process took the port between freePort() and listen(): try another one.
      const portTaken = running.output().includes('EADDRINUSE') && !signal.aborted
      if (portTaken && attempt < PORT_ATTEMPTS) continue
      throw error instanceof AppError ? error : new AppError(error instanceof Error ? error.message : String(error), running.output(), { cause: error })
    }
  }
}

/** Signals the command's whole process group (bash, pnpm, tsx watch, the app); false when none of it is left. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-child.pid!, signal)
    return true
  } catch {
    return false
  }
}

async function launch(app: DemoApp, port: number, signal: AbortSignal, options: StartOptions): Promise<RunningApp & { waitHealthy(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), `calltoken-demo-${app.name}-`))
  const env = embeddedDefaultsEnv(app, port, join(dataDir, 'pglite'))
  const url = `http://${HOST}:${port}`
  const { command } = options
  const child = command
    ? spawn('bash', ['-c', command.line], { cwd: command.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    : spawnTs(app.dir, env, app.entry, [])
  const kill = (sig: NodeJS.Signals) => (command && child.pid !== undefined ? signalGroup(child, sig) : child.kill(sig))
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal }))
    child.once('error', (error) => {
      output += `\n${error.message}`
      resolve({ code: null, signal: null })
    })
  })
  let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined
  void exited.then((end) => (ended = end))

  let health: unknown
  let stopping: Promise<StopResult> | undefined

  return {
    url,
    dataDir,
    get health() {
      return health
    },
    output: () => output,

    async waitHealthy() {
      const deadline = Date.now() + HEALTH_TIMEOUT_MS
      let last = 'no answer yet'
      for (;;) {
        signal.throwIfAborted()
        if (ended) throw new AppError(`${app.name} exited (code ${ended.code}, signal ${ended.signal}) before ${app.healthPath} answered`, output)
        try {
          const response = await fetch(`${url}${app.healthPath}`, { signal: AbortSignal.any([signal, AbortSignal.timeout(2000)]) })
          const text = await response.text()
          if (response.ok) {
            health = JSON.parse(text)
            return
          }
          last = `${response.status} ${text.slice(0, 200)}`
        } catch (error) {
          signal.throwIfAborted()
          last = error instanceof Error ? error.message : String(error)
        }
        if (Date.now() > deadline) throw new AppError(`${app.name}: ${app.healthPath} did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last})`, output)
        await delay(250, undefined, { signal }).catch(() => undefined)
      }
    },

    async script(file, args) {
      const proc = spawnTs(app.dir, env, file, args, signal)
      let stdout = ''
      let stderr = ''
      proc.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
      proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      // 'close', not 'exit': stdout may still hold the token when the process has exited.
      const [code] = (await once(proc, 'close')) as [number | null]
      if (code !== 0) throw new AppError(`${app.name}: ${file} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`, output)
      return stdout.trim()
    },

    stop: () =>
      (stopping ??= (async () => {
        let forced = false
        if (!ended || (command && signalGroup(child, 0))) {
          kill('SIGTERM')
          const timedOut = await Promise.race([exited.then(() => false), delay(STOP_TIMEOUT_MS, true, { ref: false })])
          if (timedOut) {
            forced = true
            kill('SIGKILL')
          }
        }
        const end = await exited
        // A command's group may outlive its first process for a moment (the app closing its database).
        for (let waited = 0; command && waited < 2 * STOP_TIMEOUT_MS && signalGroup(child, 0); waited += 100) {
          if (waited === STOP_TIMEOUT_MS) {
            forced = true
            signalGroup(child, 'SIGKILL')
          }
          await delay(100)
        }
        await rm(dataDir, { recursive: true, force: true, maxRetries: 3 })
        return { ...end, forced }
      })()),
  }
}
