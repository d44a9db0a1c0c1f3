// pnpm fuzz: hostile requests at every binding (with all six providers) and every example app, each a process of
// its own on 127.0.0.1, and a report per target: status classes, 5xx, resets, timeouts, crashes, unhandled
// rejections, RSS before and after, and any secret or token found in its logs or error answers.
//
//   node src/fuzz.mjs [--seed 1] [--requests 2000] [--only express] [--out results/fuzz.json]
//
// --requests is per target (default 2000: 12 000 in all). Exits 1 when any target had a 5xx, a reset, a timeout, a
// crash, an unhandled rejection or a leak.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { hostileRequests } from './hostile.mjs'
import { send } from './send.mjs'
import { targets } from './targets.mjs'

const BURST = 16
const TOKEN_PATTERNS = [/eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{16,}/, /\b007eJ[\w+/=]{20,}/]

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}

const rssKb = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])
  } catch {
    return undefined
  }
}

/** Starts a target and resolves with its port once it answers (or rejects after 90 s). */
async function start(target, logs) {
  const port = target.ready === 'stdout' ? undefined : await freePort()
  const [command, args] = target.command
  const child = spawn(command, args, { cwd: target.cwd, env: { ...process.env, ...target.env, ...(port ? { PORT: String(port), HOST: '127.0.0.1' } : {}) }, stdio: ['ignore', 'pipe', 'pipe'] })
  let readyPort = port
  const lines = (stream) => stream.on('data', (chunk) => logs.push(chunk.toString('utf8')))
  lines(child.stdout)
  lines(child.stderr)
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${target.name} exited at start-up: ${logs.join('').slice(-2000)}`)
    if (target.ready === 'stdout') {
      const found = /READY (\d+)/.exec(logs.join(''))
      if (found) readyPort = Number(found[1])
    } else {
      const answer = await send(readyPort, { method: 'GET', path: target.ready, headers: [], body: Buffer.alloc(0) }, 2000)
      if (answer.status === 200) break
    }
    if (target.ready === 'stdout' && readyPort) break
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  if (!readyPort) throw new Error(`${target.name} did not start within 90 s`)
  return { child, port: readyPort }
}

async function stop(child) {
  if (child.exitCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await once(child, 'exit')
  clearTimeout(timer)
}

/** Fires `count` hostile requests at one target and reports what happened. */
export async function fuzzTarget(target, { seed, count }) {
  const logs = []
  const { child, port } = await start(target, logs)
  let crashed = false
  child.on('exit', () => (crashed = !stopping))
  let stopping = false
  const warmup = hostileRequests({ seed: seed + 7, count: 20, routes: target.routes, auth: target.auth, secret: target.secret }).map((request) => ({ ...request, headers: [['content-type', 'application/json'], ['authorization', target.auth()]], body: Buffer.from('{"callId":"standup"}') }))
  for (const request of warmup) await send(port, request)
  const rssBefore = rssKb(child.pid)

  const requests = hostileRequests({ seed, count, routes: target.routes, auth: target.auth, secret: target.secret })
  const classes = {}
  const fiveHundreds = []
  const leaks = []
  const started = Date.now()
  for (let i = 0; i < requests.length && !crashed; i += BURST) {
    const batch = requests.slice(i, i + BURST)
    const answers = await Promise.all(batch.map((request) => send(port, request)))
    answers.forEach((answer, j) => {
      const request = batch[j]
      const cls = typeof answer.status === 'number' ? `${String(answer.status)[0]}xx` : answer.status
      classes[cls] = (classes[cls] ?? 0) + 1
      if (cls === '5xx' || cls === 'reset' || cls === 'timeout') fiveHundreds.push({ kind: request.kind, method: request.method, path: request.path.slice(0, 80), status: answer.status, body: answer.body?.slice(0, 200) })
      const text = `${answer.head ?? ''}\n${answer.body ?? ''}`
      for (const secret of target.secrets) if (text.includes(secret)) leaks.push({ where: 'answer', what: 'secret', kind: request.kind })
      if (typeof answer.status === 'number' && answer.status >= 400 && TOKEN_PATTERNS.some((p) => p.test(answer.body ?? ''))) leaks.push({ where: 'error answer', what: 'token', kind: request.kind })
    })
  }
  const seconds = (Date.now() - started) / 1000
  const rssAfter = rssKb(child.pid)
  stopping = true
  await stop(child)
  const logText = logs.join('')
  for (const secret of target.secrets) if (logText.includes(secret)) leaks.push({ where: 'logs', what: 'secret' })
  for (const pattern of TOKEN_PATTERNS) if (pattern.test(logText)) leaks.push({ where: 'logs', what: 'token', sample: pattern.exec(logText)[0].slice(0, 12) })
  const unhandled = (logText.match(/UNHANDLED |unhandledRejection|Unhandled rejection/g) ?? []).length
  return {
    target: target.name,
    requests: requests.length,
    seconds,
    classes,
    fiveHundreds: fiveHundreds.length,
    samples: fiveHundreds.slice(0, 8),
    crashed,
    unhandled,
    rssBeforeMb: rssBefore && Math.round(rssBefore / 102.4) / 10,
    rssAfterMb: rssAfter && Math.round(rssAfter / 102.4) / 10,
    leaks,
  }
}

/** Every target in turn (they would compete for the two cores otherwise). */
export async function fuzz({ seed = 1, perTarget = 2000, only } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'calltoken-fuzz-'))
  try {
    const reports = []
    for (const target of targets(dataDir)) {
      if (only && !target.name.includes(only)) continue
      reports.push(await fuzzTarget(target, { seed, count: perTarget }))
    }
    return reports
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

export const failed = (report) => report.fiveHundreds > 0 || report.crashed || report.unhandled > 0 || report.leaks.length > 0

function table(reports) {
  const rows = reports.map((r) => [r.target, r.requests, Object.entries(r.classes).sort().map(([k, v]) => `${k} ${v}`).join(', '), r.fiveHundreds, r.crashed ? 'yes' : 'no', r.unhandled, `${r.rssBeforeMb} → ${r.rssAfterMb} MB`, r.leaks.length, `${Math.round(r.requests / r.seconds)}/s`])
  const header = ['target', 'requests', 'answers', '5xx/reset/timeout', 'crash', 'unhandled', 'RSS', 'leaks', 'rate']
  return [header, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n')
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`)
    return i > 0 ? process.argv[i + 1] : fallback
  }
  const seed = Number(arg('seed', '1'))
  const perTarget = Number(arg('requests', '2000'))
  const out = arg('out', `results/fuzz-seed${seed}.json`)
  const reports = await fuzz({ seed, perTarget, only: arg('only') })
  console.log(table(reports))
  for (const report of reports.filter(failed)) console.log(`\n${report.target}:`, JSON.stringify({ samples: report.samples, leaks: report.leaks }, null, 1))
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, `${JSON.stringify({ seed, perTarget, node: process.version, at: new Date().toISOString(), reports }, null, 2)}\n`)
  console.log(`\nwritten to ${out}`)
  process.exitCode = reports.some(failed) ? 1 : 0
}
