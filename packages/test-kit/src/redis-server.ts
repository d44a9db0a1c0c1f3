import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer, connect } from 'node:net'
import { describeIfPresent } from './needs'

/** A redis-server of the test's own, on a free port of 127.0.0.1, that the test can stop, start, pause and resume. */
export interface RedisServerProcess {
  readonly url: string
  readonly port: number
  /** Starts it (again) on the same port; resolves once it accepts connections. */
  start(): Promise<void>
  /** Kills it (SIGKILL, as a crash) and waits for it to exit; its data is gone (nothing is saved). */
  stop(): Promise<void>
  /** SIGSTOP: connections stay open and nothing answers, as a hung server. */
  pause(): void
  /** SIGCONT after pause(). */
  resume(): void
}

const BINARY = process.env.REDIS_SERVER_BINARY ?? 'redis-server'
const present = spawnSync(BINARY, ['--version'], { stdio: 'ignore' }).status === 0

/**
 * `describe` for suites that start and stop their own redis-server (the binary on PATH, or REDIS_SERVER_BINARY).
 * Without one the suite is skipped with a loud warning, except under CI, where it fails.
 *
 * @example
 * describeWithRedisServer('store outages', () => {
 *   it('recovers', async () => { const redis = await spawnRedisServer(); … })
 * })
 */
export function describeWithRedisServer(name: string, suite: () => void): void {
  describeIfPresent(name, present ? undefined : `No ${BINARY} binary to start.`, 'Install it with:  apt-get update && apt-get install -y redis-server   (Debian)', suite)
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
  })
}

/**
 * Starts a redis-server (no persistence) on a free port and returns its controls; `stop()` it after the test.
 * With `started: false` it only picks the port, for a test of an app that starts before its Redis.
 *
 * @example
 * const redis = await spawnRedisServer()
 * redis.pause() // a hung Redis
 * redis.resume()
 * await redis.stop()
 */
export async function spawnRedisServer({ started = true }: { readonly started?: boolean } = {}): Promise<RedisServerProcess> {
  const port = await freePort()
  let child: ChildProcess | undefined
  const control: RedisServerProcess = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      if (child) return
      child = spawn(BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
      for (let i = 0; i < 100; i++) {
        if (await accepting(port)) return
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      throw new Error(`redis-server did not start on port ${port}`)
    },
    async stop() {
      const running = child
      child = undefined
      if (!running || running.exitCode !== null) return
      running.kill('SIGCONT') // a paused process must run to die
      running.kill('SIGKILL')
      await once(running, 'exit')
    },
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
  }
  if (started) await control.start()
  return control
}
