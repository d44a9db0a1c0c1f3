import { isMain } from './lib/is-main.mjs'
// HTTP: each binding's POST /tokens/call against a hand-written route doing the same mint in the same framework
// (Express 5, Fastify 5), and against the framework's bare GET, in one run, as paired ratios.
// One server process per framework (src/http-server.mjs), autocannon in this process, 127.0.0.1 only.
// Run alone: node src/http.mjs [--quick] [--verbose]   (or as part of run-all.mjs)
// Where a route's time goes: node src/http.mjs --profile [express|fastify] [--routes hand,binding] [--seconds 5] [--keep]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createTokenService } from '@calltoken/core'
import { stream } from '@calltoken/stream'
import { pinningPlan, setAffinity } from './lib/affinity.mjs'
import { analyse, topOf } from './lib/cpuprofile.mjs'
import { STREAM } from './lib/fixtures.mjs'
import { goalsTable, judge } from './lib/goals.mjs'
import { pairedCpuRatio, pairedRatio } from './lib/harness.mjs'
import { runLoad, startServer } from './lib/http-load.mjs'
import { latestPath, readJson, saveResults } from './lib/results.mjs'
import { settings as defaultSettings } from './lib/settings.mjs'
import { int, median, num, ratio as formatRatio, ratioRange, summary, table } from './lib/stats.mjs'

const FRAMEWORKS = {
  express: {
    title: 'Express 5',
    hand: 'hand-written: express.json() + hand check + service.createCallToken',
    binding: 'binding: createCallTokenRouter({ rateLimit: false })',
    limited: 'binding + its rate limiter (max 1e9, never hit)',
  },
  fastify: {
    title: 'Fastify 5',
    hand: 'hand-written: Fastify JSON parser + hand check + service.createCallToken',
    binding: 'binding: callTokenRoutes({ rateLimit: false })',
    limited: 'binding + its rate limiter (max 1e9, never hit)',
  },
}

const ROUTES = [
  { route: 'bare', method: 'GET', path: '/bare' },
  { route: 'hand', method: 'POST', path: '/hand/tokens/call' },
  { route: 'binding', method: 'POST', path: '/api/tokens/call' },
  { route: 'limited', method: 'POST', path: '/limited/tokens/call' },
]
const TOKEN_ROUTES = ['hand', 'binding', 'limited']

// Every POST under load sends this body.
const CALL = { userId: 'alice', callId: 'team-meeting-123' }
const BODY = JSON.stringify({ ...CALL, role: 'moderator' })

const verifier = createTokenService({ provider: stream({ apiKey: STREAM.apiKey, apiSecret: STREAM.apiSecret }) })

function assert(condition, message) {
  if (!condition) throw new Error(message)
}

/**
 * Before any load, each route must answer what the load will ask, so that a route that fails (or answers nothing)
 * cannot look fast: GET /bare its constant; a token route, for the load body, 200 with Cache-Control: no-store and
 * { success: true, data } whose token verifies for alice's call as a moderator. The bindings' handling of other
 * bodies (malformed, refused) is proven by their tests (packages/{express,fastify}/test). Returns { bytes, keys }
 * or throws with the reason.
 */
async function verifyRoute(sc) {
  const res = await fetch(sc.url, sc.method === 'POST' ? { method: 'POST', body: BODY, headers: { 'content-type': 'application/json' } } : {})
  const text = await res.text()
  assert(res.status === 200, `${sc.method} ${sc.path}: status ${res.status}: ${text.slice(0, 200)}`)
  if (sc.route === 'bare') {
    assert(text === '{"ok":true,"service":"calltoken"}', `GET /bare answered ${text.slice(0, 100)}`)
    return { bytes: Buffer.byteLength(text) }
  }
  assert(res.headers.get('cache-control') === 'no-store', `Cache-Control is ${res.headers.get('cache-control')}, not no-store`)
  const { success, data } = JSON.parse(text)
  assert(success === true && typeof data === 'object', 'the answer is not { success: true, data }')
  const t = await verifier.verifyToken(data.token)
  assert(t.userId === CALL.userId && t.callId === CALL.callId && t.providerRole === 'moderator', `token for ${t.userId}/${t.callId} as ${t.providerRole}`)
  return { bytes: Buffer.byteLength(text), keys: Object.keys(data).join(',') }
}

/** One timed (or warm-up) run of a scenario: autocannon figures plus the server's CPU and loop utilization. */
async function measureOnce(sc, seconds, connections) {
  const before = await sc.server.stats()
  const r = await runLoad({ url: sc.url, method: sc.method, body: sc.method === 'POST' ? BODY : undefined, connections, seconds })
  const after = await sc.server.stats()
  const active = after.elu.active - before.elu.active
  const idle = after.elu.idle - before.elu.idle
  return { ...r, ops: r.ok, ns: r.wallNs, rate: r.ok / (r.wallNs / 1e9), cpuUs: after.cpuUs - before.cpuUs, elu: active / (active + idle) }
}

const pct = (x) => (Number.isFinite(x) ? `${Math.round(100 * x)} %` : '-')
const ms2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-')

export async function runHttp({ settings = defaultSettings, log = console.log } = {}) {
  const s = settings.http
  const warnings = []
  const warn = (line) => {
    if (!warnings.includes(line)) warnings.push(line)
  }
  const broken = []
  log(`\n== HTTP: binding vs hand-written route vs bare GET (${s.runs} x ${s.seconds} s autocannon runs per scenario, round-robin, ${s.warmupSeconds} s warm-up, ${s.connections} connections; ${settings.quick ? 'QUICK' : 'full'} run)`)
  let plan = pinningPlan(s.pin)
  if (plan.on && !setAffinity(process.pid, plan.loader)) plan = { on: false, text: 'no CPU pinning (taskset could not pin this process)' }
  log(`  ${plan.text}`)

  const servers = []
  const scenarios = []
  const versions = {}
  try {
    for (const [fw, meta] of Object.entries(FRAMEWORKS)) {
      let server
      try {
        server = await startServer(fw)
      } catch (error) {
        broken.push({ id: `http-${fw}`, reason: error.message })
        log(`  BROKEN ${meta.title} server: ${error.message}`)
        continue
      }
      servers.push(server)
      versions[fw] = server.version
      if (plan.on && !setAffinity(server.pid, plan.server)) warn(`taskset could not pin the ${meta.title} server; it ran unpinned`)
      for (const { route, method, path: p } of ROUTES) {
        const sc = {
          id: `http-${fw}-${route}`, framework: fw, route, method, path: p, url: `http://127.0.0.1:${server.port}${p}`, server,
          label: route === 'bare' ? 'bare: GET /bare (constant JSON)' : meta[route],
          windows: [],
        }
        try {
          Object.assign(sc, await verifyRoute(sc))
          scenarios.push(sc)
        } catch (error) {
          broken.push({ id: sc.id, reason: error.message })
          log(`  BROKEN ${meta.title} ${method} ${p}: ${error.message}`)
        }
      }
      const hand = scenarios.find((x) => x.id === `http-${fw}-hand`)
      const binding = scenarios.find((x) => x.id === `http-${fw}-binding`)
      if (hand && binding && hand.keys !== binding.keys) warn(`${meta.title}: the hand route's data keys {${hand.keys}} differ from the binding's {${binding.keys}}`)
    }
    log(`  checked ${scenarios.length}/${Object.keys(FRAMEWORKS).length * ROUTES.length} routes (200 and a valid token for the load body ${BODY})`)

    // A scenario whose run throws (its server died, autocannon failed) is broken; the others go on.
    const attempt = async (sc, seconds) => {
      if (sc.failed) return undefined
      try {
        return await measureOnce(sc, seconds, s.connections)
      } catch (error) {
        sc.failed = error.message
        broken.push({ id: sc.id, reason: `failed under load: ${error.message}` })
        return undefined
      }
    }
    for (const sc of scenarios) {
      sc.warmup = await attempt(sc, s.warmupSeconds)
      if (settings.verbose && sc.warmup) log(`  warm-up ${sc.id}: ${int(sc.warmup.rate)} req/s`)
    }
    for (let round = 0; round < s.runs; round++) {
      // Rotate the starting scenario each round so none always runs right after the same neighbour.
      const order = scenarios.map((_, k) => scenarios[(k + round) % scenarios.length])
      for (const sc of order) sc.windows[round] = await attempt(sc, s.seconds)
      if (settings.verbose) log(`  round ${round + 1}/${s.runs} done`)
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop(5000)))
    if (plan.on) setAffinity(process.pid, plan.restore)
  }

  // A route that answered anything but 2xx under load was refused (a limiter, an error): its rate means nothing.
  const measured = []
  for (const sc of scenarios) {
    if (sc.failed) continue
    const all = [sc.warmup, ...sc.windows].filter(Boolean)
    const non2xx = all.reduce((a, w) => a + w.non2xx, 0)
    const errors = all.reduce((a, w) => a + w.errors + w.timeouts, 0)
    if (non2xx > 0) {
      const codes = {}
      for (const w of all) for (const [c, k] of Object.entries(w.statusCodes)) if (!c.startsWith('2')) codes[c] = (codes[c] ?? 0) + k
      broken.push({ id: sc.id, reason: `${non2xx} non-2xx answers under load (${Object.entries(codes).map(([c, k]) => `${c}: ${k}`).join(', ')})` })
      continue
    }
    if (errors > 0) warn(`${sc.id}: ${errors} socket errors or timeouts under load`)
    const sum = (k) => sc.windows.reduce((a, w) => a + w[k], 0)
    const wallUs = sum('ns') / 1000
    sc.stats = {
      rate: summary(sc.windows.map((w) => w.rate)),
      p50: median(sc.windows.map((w) => w.p50)),
      p99: summary(sc.windows.map((w) => w.p99)),
      serverCpuUsPerReq: sum('cpuUs') / sum('ops'),
      serverCpu: sum('cpuUs') / wallUs,
      elu: median(sc.windows.map((w) => w.elu)),
      loaderCpu: sum('loaderCpuUs') / wallUs,
      requests: sum('ops'),
    }
    measured.push(sc)
  }
  const byId = new Map(measured.map((sc) => [sc.id, sc]))

  const ratios = []
  const cases = []
  for (const [fw, meta] of Object.entries(FRAMEWORKS)) {
    const get = (route) => byId.get(`http-${fw}-${route}`)
    const bare = get('bare')
    const hand = get('hand')
    if (!scenarios.some((x) => x.framework === fw)) continue
    log(`\n-- ${meta.title}${versions[fw] ? ` (${versions[fw]})` : ''}`)
    const rows = []
    for (const { route, method, path: p } of ROUTES) {
      const sc = get(route)
      if (!sc) {
        rows.push([`${meta[route] ?? 'bare'}: BROKEN`, '', '', '', '', '', '', '', '', '', '', ''])
        continue
      }
      const st = sc.stats
      rows.push([sc.label, int(st.rate.median), `${int(st.rate.min)}–${int(st.rate.max)}`, ms2(st.p50),
        `${ms2(st.p99.median)} (${ms2(st.p99.min)}–${ms2(st.p99.max)})`, num(st.serverCpuUsPerReq, 1), pct(st.serverCpu), pct(st.elu), pct(st.loaderCpu),
        hand && sc !== hand && route !== 'bare' ? ratioRange(pairedRatio(sc, hand)) : '', bare && sc !== bare ? ratioRange(pairedRatio(sc, bare)) : '', String(sc.bytes)])
      cases.push({
        id: sc.id, framework: fw, route, method, path: p, label: sc.label, bytes: sc.bytes, ...st,
        windows: sc.windows.map((w) => ({ rate: Math.round(w.rate), p99: w.p99, cpuUsPerReq: w.cpuUs / w.ops, elu: w.elu, loaderCpuUs: w.loaderCpuUs, ns: w.ns })),
      })
    }
    log(table(
      [
        { title: 'route', align: 'left' }, { title: 'req/s median', align: 'right' }, { title: 'min–max', align: 'right' },
        { title: 'p50 ms', align: 'right' }, { title: 'p99 ms median (min–max)', align: 'right' },
        { title: 'server CPU µs/req', align: 'right' }, { title: 'server CPU', align: 'right' }, { title: 'server loop busy', align: 'right' },
        { title: 'autocannon CPU', align: 'right' }, { title: 'vs hand', align: 'right' }, { title: 'vs bare', align: 'right' }, { title: 'body bytes', align: 'right' },
      ],
      rows,
    ))
    const pair = (a, b, text, goal) => {
      const A = get(a)
      const B = get(b)
      const r = { framework: fw, a, b, text: `HTTP ${meta.title}: ${text}`, goal }
      if (A && B) Object.assign(r, { ratio: pairedRatio(A, B), cpu: pairedCpuRatio(A, B) })
      ratios.push(r)
      return r
    }
    const lines = [
      pair('binding', 'hand', 'binding /tokens/call vs hand-written route', 0.9),
      pair('binding', 'bare', 'binding /tokens/call vs bare GET'),
      pair('hand', 'bare', 'hand-written route vs bare GET'),
      pair('limited', 'binding', 'binding with its rate limiter vs without'),
    ]
    log(table(
      [{ title: 'ratio (paired by round)', align: 'left' }, { title: 'req/s: median (min–max)', align: 'right' }, { title: 'by server CPU/req', align: 'right' }, { title: 'goal', align: 'left' }],
      lines.map((r) => [r.text.replace(/^HTTP [^:]+: /, ''), r.ratio ? ratioRange(r.ratio) : 'not measured', r.cpu ? formatRatio(r.cpu.median) : '-',
        r.goal ? `≥ ${r.goal}x: ${r.ratio ? (r.ratio.median >= r.goal ? 'met' : 'NOT MET') : '-'}` : '']),
    ))
  }
  log('  ("vs" and ratios: req/s of two scenarios in the same round, then the median and range over the rounds. "by server CPU/req":')
  log('   the same ratio from the server\'s CPU µs per request, less disturbed by other processes. "server loop busy": event-loop')
  log('   utilization; well under 100 % means the server waited for requests, so the load generator or the machine was the limit.)')

  const starvedLoop = measured.filter((sc) => sc.stats.elu < 0.85)
  if (starvedLoop.length > 0) {
    warn(`HTTP: the server's event loop was busy < 85 % on ${starvedLoop.map((sc) => sc.id).join(', ')}: the load generator (or a busy machine) ` +
      'was the limit, so those req/s are lower bounds and ratios against them are bounds too')
  }
  const starvedCpu = measured.filter((sc) => sc.stats.serverCpu < 0.8 * sc.stats.elu)
  if (starvedCpu.length > 0) {
    warn(`HTTP: the server got much less CPU than its loop was busy on ${starvedCpu.map((sc) => sc.id).join(', ')}: another process took the CPU, ` +
      'so treat this run as noisy and cross-check with the "by server CPU" ratios')
  }
  const spread = ratios.filter((r) => r.ratio && r.ratio.n >= 3 && r.ratio.max / r.ratio.min > 1.3)
  if (spread.length > 0) warn(`HTTP: ${spread.length}/${ratios.length} paired ratios spread over more than 1.3x: rerun before quoting them`)
  for (const b of broken) log(`  BROKEN ${b.id}: ${b.reason}`)
  for (const w of warnings) log(`  WARNING ${w}`)

  const brokenIds = new Set(broken.map((b) => b.id))
  const goals = ratios.filter((r) => r.goal).map((r) =>
    judge({
      id: `http-${r.framework}-binding-vs-hand`, text: r.text, kind: 'ratio', op: '>=', target: r.goal, measured: r.ratio, cpu: r.cpu,
      unmeasured: r.ratio ? undefined : brokenIds.has(`http-${r.framework}-${r.a}`) || brokenIds.has(`http-${r.framework}-${r.b}`) || brokenIds.has(`http-${r.framework}`) ? 'BROKEN (see above)' : undefined,
    }))
  for (const fw of Object.keys(FRAMEWORKS)) {
    if (!goals.some((g) => g.id === `http-${fw}-binding-vs-hand`)) {
      goals.push(judge({ id: `http-${fw}-binding-vs-hand`, text: `HTTP ${FRAMEWORKS[fw].title}: binding /tokens/call vs hand-written route`, kind: 'ratio', op: '>=', target: 0.9, unmeasured: 'BROKEN (see above)' }))
    }
  }
  const info = ratios.filter((r) => !r.goal && r.ratio).map(({ text, ratio, cpu }) => ({ text, ratio, cpu }))
  return {
    section: {
      at: new Date().toISOString(),
      settings: s,
      quick: settings.quick,
      pinning: plan.text,
      versions,
      body: BODY,
      cases,
      ratios: ratios.map(({ framework, a, b, text, goal, ratio, cpu }) => ({ framework, a, b, text, goal, ratio, cpu })),
      broken,
      warnings,
    },
    goals,
    info,
    warnings,
    broken,
  }
}

// ---- Profiling: where a route's server time goes ---------------------------------------------------------------

/**
 * Runs one server per (framework, route) under `node --cpu-prof`, loads that route (warm-up, then `seconds`), stops
 * the server so it writes its profile, and reads the samples taken during the timed load only.
 */
async function profileRoute(fw, route, { seconds, warmupSeconds, connections, plan, keep }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'calltoken-http-prof-'))
  const server = await startServer(fw, { execArgv: ['--cpu-prof', '--cpu-prof-dir', dir] })
  try {
    if (plan.on) setAffinity(server.pid, plan.server)
    const spec = ROUTES.find((r) => r.route === route)
    const sc = { route, method: spec.method, path: spec.path, url: `http://127.0.0.1:${server.port}${spec.path}`, server }
    await verifyRoute(sc)
    await measureOnce(sc, warmupSeconds, connections)
    const from = await server.stats()
    const w = await measureOnce(sc, seconds, connections)
    const to = await server.stats()
    await server.stop()
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
    if (!file) throw new Error(`${fw} server wrote no .cpuprofile`)
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8'))
    const aligned = from.hrUs >= profile.startTime && to.hrUs <= profile.endTime
    const a = analyse(profile, aligned ? { from: from.hrUs, to: to.hrUs } : undefined)
    return { fw, route, requests: w.ops, rate: w.rate, cpuUsPerReq: w.cpuUs / w.ops, aligned, analysis: a, file: keep ? path.join(dir, file) : undefined }
  } finally {
    await server.stop(2000)
    if (!keep) rmSync(dir, { recursive: true, force: true })
  }
}

async function profileMain(args, settings) {
  const option = (name, fallback) => {
    const k = args.indexOf(name)
    return k >= 0 ? args[k + 1] : fallback
  }
  const frameworks = args.filter((a) => Object.hasOwn(FRAMEWORKS, a))
  const routes = option('--routes', 'hand,binding').split(',')
  for (const r of routes) if (!TOKEN_ROUTES.includes(r) && r !== 'bare') throw new Error(`unknown route ${r}; one of bare, ${TOKEN_ROUTES.join(', ')}`)
  const seconds = Number(option('--seconds', settings.quick ? '1' : '5'))
  const opts = { seconds, warmupSeconds: settings.http.warmupSeconds, connections: settings.http.connections, keep: args.includes('--keep') }
  let plan = pinningPlan(settings.http.pin)
  if (plan.on && !setAffinity(process.pid, plan.loader)) plan = { on: false, text: 'no CPU pinning (taskset could not pin this process)' }
  console.log(`HTTP server profiles (node --cpu-prof): ${seconds} s of load per route after ${opts.warmupSeconds} s of warm-up, ${opts.connections} connections`)
  console.log(`  ${plan.text}`)
  console.log('  The profiler slows the server down: read µs/request as shares of the work, not as speed.')
  const perReq = (us, p) => us / p.requests
  try {
    for (const fw of frameworks.length > 0 ? frameworks : Object.keys(FRAMEWORKS)) {
      const results = []
      for (const route of routes) results.push(await profileRoute(fw, route, { ...opts, plan }))
      for (const p of results) {
        const a = p.analysis
        console.log(`\n-- ${FRAMEWORKS[fw].title}, ${p.route === 'bare' ? 'bare GET' : FRAMEWORKS[fw][p.route]}`)
        console.log(`  ${int(p.requests)} requests (${int(p.rate)} req/s under the profiler); sampled busy time ${num(perReq(a.busy, p), 1)} µs/request` +
          ` (server CPU ${num(p.cpuUsPerReq, 1)} µs/request)${p.aligned ? '' : '; WARNING: could not align the load window with the profile clock, so start-up is included'}`)
        console.log('  Self time by package, µs/request (share of busy time):')
        for (const [k, us] of topOf(a.packages, 12, (k) => k === '(idle)')) console.log(`    ${num(perReq(us, p), 1).padStart(7)}  ${((100 * us) / a.busy).toFixed(1).padStart(5)} %  ${k}`)
        console.log('  Top frames by self time, µs/request:')
        for (const [k, us] of topOf(a.self, 15, (k) => k.startsWith('(idle)'))) console.log(`    ${num(perReq(us, p), 1).padStart(7)}  ${((100 * us) / a.busy).toFixed(1).padStart(5)} %  ${k}`)
        if (p.file) console.log(`  profile kept: ${p.file}`)
      }
      // What the binding does beyond the hand route, frame by frame (inclusive time), and package by package (self).
      const hand = results.find((p) => p.route === 'hand')
      const binding = results.find((p) => p.route === 'binding')
      if (hand && binding) {
        const diff = (key) => {
          const keys = new Set([...hand.analysis[key].keys(), ...binding.analysis[key].keys()])
          return [...keys].map((k) => [k, perReq(binding.analysis[key].get(k) ?? 0, binding) - perReq(hand.analysis[key].get(k) ?? 0, hand)])
        }
        console.log(`\n-- ${FRAMEWORKS[fw].title}: binding − hand, µs/request of sampled time (total busy: ${num(perReq(binding.analysis.busy, binding) - perReq(hand.analysis.busy, hand), 1)} µs/request)`)
        console.log('  By package (self time):')
        for (const [k, d] of diff('packages').filter(([k]) => k !== '(idle)').sort((x, y) => Math.abs(y[1]) - Math.abs(x[1])).slice(0, 10)) {
          console.log(`    ${(d >= 0 ? '+' : '') + num(d, 1)}`.padEnd(12) + k)
        }
        console.log('  Largest differences in self time, by frame:')
        for (const [k, d] of diff('self').filter(([k]) => !k.startsWith('(idle)')).sort((x, y) => Math.abs(y[1]) - Math.abs(x[1])).slice(0, 15)) {
          console.log(`    ${(d >= 0 ? '+' : '') + num(d, 1)}`.padEnd(12) + k)
        }
        // Inclusive time of the binding's own functions: what each step of its pipeline costs, callees included.
        // (A step that writes the reply, such as send, also holds the framework's and the socket's write.)
        console.log('  The binding\'s own functions, inclusive time (µs/request):')
        for (const [k, us] of topOf(binding.analysis.total, 15, (k) => !/@calltoken\//.test(k))) {
          console.log(`    ${num(perReq(us, binding), 1).padStart(7)}  ${k}`)
        }
      }
    }
  } finally {
    if (plan.on) setAffinity(process.pid, plan.restore)
  }
}


if (isMain(import.meta.url)) {
  const args = process.argv.slice(2)
  const settings = { ...defaultSettings, verbose: args.includes('--verbose') }
  if (args.includes('--profile')) {
    await profileMain(args, settings)
  } else {
    const result = await runHttp({ settings })
    const previous = readJson(latestPath)?.goals ?? []
    console.log('\n== HTTP goals (never fail the run)')
    console.log(goalsTable(result.goals, previous))
    for (const { text, ratio, cpu } of result.info) console.log(`  ${text}: ${ratioRange(ratio)}; by server CPU ${formatRatio(cpu.median)}`)
    saveResults({ http: result.section, goals: [...previous.filter((g) => !result.goals.some((x) => x.id === g.id)), ...result.goals] }, { fresh: false })
    console.log(`\nwrote ${latestPath}`)
    if (result.broken.length > 0) {
      console.error(`\n${result.broken.length} broken route(s): exit 1`)
      process.exitCode = 1
    }
  }
}
