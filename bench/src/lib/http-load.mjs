// The HTTP bench's plumbing: server processes (src/http-server.mjs, one per framework, with an IPC channel for CPU
// figures) and one autocannon run (programmatic API, in this process).
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

const serverFile = fileURLToPath(new URL('../http-server.mjs', import.meta.url))

// Every server this process started, so none outlives it, even on an exception or Ctrl-C.
const live = new Set()
let guarded = false
function guard() {
  if (guarded) return
  guarded = true
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL')
  })
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      for (const child of live) child.kill('SIGKILL')
      process.exit(signal === 'SIGINT' ? 130 : 143)
    })
  }
}

/**
 * Starts src/http-server.mjs for `framework` and waits until it listens.
 * Returns { framework, pid, port, version, stats(), stop() }. execArgv: e.g. ['--cpu-prof', '--cpu-prof-dir', dir].
 */
export function startServer(framework, { execArgv = [], startTimeoutMs = 30_000 } = {}) {
  guard()
  const child = fork(serverFile, [framework], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  live.add(child)
  let exited = false
  const exit = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true
      live.delete(child)
      resolve({ code, signal })
    })
  })
  const pending = new Map()
  let nextId = 1
  child.on('message', (m) => {
    if (m?.type === 'stats' && pending.has(m.id)) {
      pending.get(m.id).resolve(m)
      pending.delete(m.id)
    }
  })
  exit.then(({ code, signal }) => {
    for (const p of pending.values()) p.reject(new Error(`${framework} server exited (${signal ?? code}) while asked for its figures`))
    pending.clear()
  })

  /** Server CPU (µs, user + system), event-loop utilization counters and its clock (µs), now. */
  const stats = () =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error(`${framework} server is not running`))
      const id = nextId++
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(new Error(`${framework} server did not answer a stats request within 10 s`))
      }, 10_000)
      pending.set(id, {
        resolve: (m) => {
          clearTimeout(timer)
          resolve({ cpuUs: m.cpu.user + m.cpu.system, elu: m.elu, hrUs: m.hrUs })
        },
        reject: (e) => {
          clearTimeout(timer)
          reject(e)
        },
      })
      child.send({ type: 'stats', id })
    })

  /** Asks the server to close and exit (so a --cpu-prof profile gets written); kills it by its pid if it does not. */
  const stop = async (graceMs = 10_000) => {
    if (exited) return exit
    try {
      child.send({ type: 'exit' })
    } catch {
      // channel already closed
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    const result = await exit
    clearTimeout(timer)
    return result
  }

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${framework} server did not listen within ${startTimeoutMs / 1000} s`))
    }, startTimeoutMs)
    const onMessage = (m) => {
      if (m?.type === 'ready') {
        clearTimeout(timer)
        child.off('message', onMessage)
        resolve({ framework, pid: child.pid, port: m.port, version: m.version, stats, stop })
      } else if (m?.type === 'error') {
        clearTimeout(timer)
        child.off('message', onMessage)
        stop(2000)
        reject(new Error(`${framework} server failed to start: ${m.message.split('\n').slice(0, 3).join(' | ')}`))
      }
    }
    child.on('message', onMessage)
    exit.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(new Error(`${framework} server exited (${signal ?? code}) before it listened`))
    })
  })
}

/** The q-quantile (0..1) of the first n values of a Float64Array, sorted in place. */
function quantiles(values, n, qs) {
  const sorted = values.subarray(0, n).sort()
  return qs.map((q) => (n === 0 ? NaN : sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]))
}

/**
 * One autocannon run, closed loop: `connections` keep-alive connections, each sending its next request when its
 * answer arrives, for `seconds`. Latencies are taken from autocannon's per-response times (µs resolution; its own
 * histogram rounds to whole ms). Returns counts, wall time, p50/p99 (ms) and this process's CPU (the load generator).
 */
export function runLoad({ url, method = 'GET', body, connections, seconds }) {
  return new Promise((resolve, reject) => {
    let latencies = new Float64Array(1 << 16)
    let n = 0
    const cpu0 = process.cpuUsage()
    const t0 = process.hrtime.bigint()
    const instance = autocannon(
      {
        url,
        method,
        body,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        connections,
        duration: seconds,
        sampleInt: 100, // autocannon stops at a sample tick: this keeps a run within 0.1 s of `seconds`
      },
      (error, result) => {
        const wallNs = Number(process.hrtime.bigint() - t0)
        const cpu = process.cpuUsage(cpu0)
        if (error) return reject(error)
        const [p50, p99] = quantiles(latencies, n, [0.5, 0.99])
        resolve({
          ok: result['2xx'],
          non2xx: result.non2xx,
          statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
          errors: result.errors,
          timeouts: result.timeouts,
          wallNs,
          loaderCpuUs: cpu.user + cpu.system,
          p50,
          p99,
        })
      },
    )
    instance.on('response', (_client, _status, _bytes, ms) => {
      if (n === latencies.length) {
        const grown = new Float64Array(n * 2)
        grown.set(latencies)
        latencies = grown
      }
      latencies[n++] = ms
    })
  })
}
