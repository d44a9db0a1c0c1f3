// pnpm soak: each binding (Express, Fastify, fetch on node:http) under a steady closed-loop load of valid call-token
// requests (bearer JWT, refresh tokens on, default rate limiter raised out of the way) for a while, sampled every
// few seconds: throughput, p50/p99 latency, the server's event-loop delay, RSS and heap. Writes the samples to JSON
// and draws them (plot.mjs) to a PNG.
//
//   node src/soak.mjs [--minutes 10] [--only express] [--concurrency 32] [--out results/soak]
//
// Exits 1 when a request failed or a credential or token is in the server's logs. Whether RSS and p99 stayed flat
// after warm-up (the last third's median at most 10 % above the second third's) is reported, never failed on: on a
// shared machine that is a measurement, not a test.
import { spawn } from 'node:child_process'
import http from 'node:http'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { hs256 } from './hostile.mjs'
import { SECRETS, SESSION_SECRET } from './fixtures.mjs'
import { plotSoak } from './plot.mjs'

const SAMPLE_MS = 5000

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN
}
const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN)

function startBinding(framework) {
  const child = spawn(process.execPath, [new URL('./binding-server.mjs', import.meta.url).pathname, framework], { stdio: ['ignore', 'pipe', 'pipe'] })
  const logs = []
  child.stderr.on('data', (chunk) => logs.push(String(chunk)))
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
      const ready = /READY (\d+)/.exec(out)
      const stats = /STATS (\d+)/.exec(out)
      if (ready && stats) resolve({ child, port: Number(ready[1]), statsPort: Number(stats[1]), logs })
    })
    child.once('exit', (code) => reject(new Error(`binding-server ${framework} exited (${code}): ${logs.join('')}`)))
  })
}

const getJson = (port) =>
  new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      let text = ''
      res.on('data', (chunk) => (text += chunk))
      res.on('end', () => resolve(JSON.parse(text)))
    }).on('error', reject)
  })

/** One binding for `seconds`: `concurrency` loops, each sending the next request when the last one is answered. */
export async function soakBinding(framework, { seconds, concurrency = 32 }) {
  const { child, port, statsPort, logs } = await startBinding(framework)
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  const authorization = `Bearer ${hs256({ sub: 'soak', exp: Math.floor(Date.now() / 1000) + seconds + 3600 }, SESSION_SECRET)}`
  const body = JSON.stringify({ callId: 'soak-room' })
  let window = []
  let errors = 0
  let statusErrors = {}
  let running = true

  const one = () =>
    new Promise((resolve) => {
      const started = performance.now()
      const req = http.request({ host: '127.0.0.1', port, path: '/stream/tokens/call', method: 'POST', agent, headers: { 'content-type': 'application/json', authorization, 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume()
        res.on('end', () => {
          if (res.statusCode === 200) window.push(performance.now() - started)
          else (errors++, (statusErrors[res.statusCode] = (statusErrors[res.statusCode] ?? 0) + 1))
          resolve()
        })
      })
      req.on('error', () => (errors++, resolve()))
      req.end(body)
    })
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) await one()
  })

  const samples = []
  const t0 = Date.now()
  while (Date.now() - t0 < seconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS))
    const latencies = window.sort((a, b) => a - b)
    window = []
    const server = await getJson(statsPort)
    samples.push({
      t: Math.round((Date.now() - t0) / 1000),
      rps: Math.round(latencies.length / (SAMPLE_MS / 1000)),
      p50Ms: Math.round(percentile(latencies, 50) * 100) / 100,
      p99Ms: Math.round(percentile(latencies, 99) * 100) / 100,
      ...server,
    })
  }
  running = false
  await Promise.all(loops)
  agent.destroy()
  child.kill('SIGTERM')
  return { framework, seconds, concurrency, samples, errors, statusErrors, logs: logs.join('') }
}

/** Growth after warm-up: the last third's median against the second third's (the first third is warm-up). */
export function trend(samples, field) {
  const third = Math.floor(samples.length / 3)
  const middle = median(samples.slice(third, 2 * third).map((s) => s[field]))
  const last = median(samples.slice(2 * third).map((s) => s[field]))
  return { middle, last, growth: middle > 0 ? last / middle - 1 : 0 }
}

/** Every credential, and anything shaped like a token (a JWT, an Agora 007 token), found in the server's logs. */
export function leaksIn(logs) {
  return [...SECRETS.filter((secret) => logs.includes(secret)).map(() => 'a credential'), ...[/eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{16,}/, /\b007eJ[\w+/=]{20,}/].filter((pattern) => pattern.test(logs)).map(() => 'a token')]
}

export function verdict(run) {
  const leaks = leaksIn(run.logs)
  const rss = trend(run.samples, 'rssMb')
  const p99 = trend(run.samples, 'p99Ms')
  const rps = median(run.samples.slice(Math.floor(run.samples.length / 3)).map((s) => s.rps))
  return { framework: run.framework, requests: run.samples.reduce((n, s) => n + s.rps * (SAMPLE_MS / 1000), 0), errors: run.errors, rps, rss, p99, delayP99Ms: median(run.samples.map((s) => s.delayP99Ms)), leaks, ok: run.errors === 0 && leaks.length === 0, steady: rss.growth <= 0.1 && p99.growth <= 0.1 }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`)
    return i > 0 ? process.argv[i + 1] : fallback
  }
  const seconds = Math.round(Number(arg('minutes', '10')) * 60)
  const concurrency = Number(arg('concurrency', '32'))
  const out = arg('out', 'results/soak')
  const only = arg('only')
  const runs = []
  for (const framework of ['express', 'fastify', 'fetch']) {
    if (only && framework !== only) continue
    console.log(`soaking ${framework} for ${seconds} s at ${concurrency} concurrent requests…`)
    runs.push(await soakBinding(framework, { seconds, concurrency }))
  }
  const verdicts = runs.map(verdict)
  for (const v of verdicts) {
    console.log(
      `${v.framework}: ${Math.round(v.requests)} requests, ${v.errors} errors, ${v.rps} req/s (median after warm-up), RSS ${v.rss.middle} → ${v.rss.last} MB (${(v.rss.growth * 100).toFixed(1)} %), p99 ${v.p99.middle} → ${v.p99.last} ms, event-loop delay p99 ${v.delayP99Ms} ms, ${v.leaks.length} leaks in its logs: ${v.ok ? 'ok' : 'FAILED'}, ${v.steady ? 'steady' : 'NOT steady (RSS or p99 grew more than 10 %)'}`,
    )
  }
  mkdirSync(dirname(`${out}.json`), { recursive: true })
  writeFileSync(`${out}.json`, `${JSON.stringify({ node: process.version, at: new Date().toISOString(), seconds, concurrency, verdicts, runs: runs.map(({ logs: _logs, ...run }) => run) }, null, 2)}\n`)
  const png = await plotSoak(runs, `${out}.png`)
  console.log(`written to ${out}.json${png ? ` and ${out}.png` : ' (no PNG: Chromium is missing)'}`)
  process.exitCode = verdicts.every((v) => v.ok) ? 0 : 1
}
