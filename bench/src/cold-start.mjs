import { isMain } from './lib/is-main.mjs'
// Cold start: process start → first token, timed from outside with hrtime around spawnSync(process.execPath, …).
// Each comparison runs A and B alternately (A B, then B A, …) and takes the ratio and the difference pair by pair.
// Run alone: node src/cold-start.mjs [--quick]   (or as part of run-all.mjs)
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createTokenService } from '@calltoken/core'
import { stream } from '@calltoken/stream'
import { STREAM } from './lib/fixtures.mjs'
import { goalsTable, judge } from './lib/goals.mjs'
import { latestPath, readJson, saveResults } from './lib/results.mjs'
import { settings as defaultSettings } from './lib/settings.mjs'
import { num, ratioRange, signedMs, summary, table } from './lib/stats.mjs'

const benchDir = fileURLToPath(new URL('..', import.meta.url))
const verifier = createTokenService({ provider: stream({ apiKey: STREAM.apiKey, apiSecret: STREAM.apiSecret }) })
const cold = (file) => fileURLToPath(new URL(`./cold/${file}`, import.meta.url))

/** The commands. `token`: the script prints a Stream call token, which must verify (so a script that fails cannot look fast). */
const COMMANDS = {
  floor: { label: 'node -e 0', args: ['-e', '0'] },
  rawCjs: { label: 'raw node:crypto first token (CJS)', args: [cold('raw-first-token.cjs')], token: true },
  rawEsm: { label: 'raw node:crypto first token (ESM)', args: [cold('raw-first-token.mjs')], token: true },
  oursCjs: { label: 'ours CJS first token', args: [cold('stream-first-token.cjs')], token: true },
  oursEsm: { label: 'ours ESM first token', args: [cold('stream-first-token.mjs')], token: true },
  sdk: { label: 'Stream SDK first token', args: [cold('sdk-first-token.cjs')], token: true },
}
const LEGEND = [
  '  raw node:crypto first token (CJS/ESM): the same Stream call token from createHmac in one file, nothing else loaded',
  '  ours CJS/ESM first token: require/import @calltoken/core + @calltoken/stream, stream({ apiKey, apiSecret }), await createCallToken()',
  '  Stream SDK first token: require @stream-io/node-sdk, new StreamClient(key, secret), client.generateCallToken()',
  '  wall: spawnSync(process.execPath, …) timed with hrtime; in-process: the child\'s performance.now() once it has its token',
]

/** [A, B]: A is timed against the baseline B. */
const COMPARISONS = [
  ['oursCjs', 'floor'],
  ['oursEsm', 'floor'],
  ['sdk', 'floor'],
  ['oursCjs', 'rawCjs'],
  ['oursEsm', 'rawEsm'],
  ['oursCjs', 'sdk'],
]

/** One run: wall ms from outside, plus the child's own performance.now() at its first token. */
function runOnce(name) {
  const command = COMMANDS[name]
  const t0 = process.hrtime.bigint()
  const child = spawnSync(process.execPath, command.args, { cwd: benchDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6
  if (child.error) throw new Error(`${command.label}: ${child.error.message}`)
  if (child.status !== 0) throw new Error(`${command.label}: exit ${child.status}: ${child.stderr.trim().split('\n').slice(0, 3).join(' | ')}`)
  let out = {}
  if (child.stdout) out = JSON.parse(child.stdout)
  return { wallMs, inProcessMs: out.ms, token: out.token }
}

async function checkToken(name, run) {
  if (!COMMANDS[name].token) return
  const t = await verifier.verifyToken(run.token)
  if (t.userId !== 'user-1' || t.callId !== 'call-1') throw new Error(`${COMMANDS[name].label}: token for ${t.userId}/${t.callId}`)
}

async function compare(a, b, { pairs, warmupRuns }) {
  for (let k = 0; k < warmupRuns; k++) {
    await checkToken(a, runOnce(a))
    await checkToken(b, runOnce(b))
  }
  const runs = { a: [], b: [] }
  for (let k = 0; k < pairs; k++) {
    if (k % 2 === 0) {
      runs.a.push(runOnce(a))
      runs.b.push(runOnce(b))
    } else {
      runs.b.push(runOnce(b))
      runs.a.push(runOnce(a))
    }
  }
  const wallA = runs.a.map((r) => r.wallMs)
  const wallB = runs.b.map((r) => r.wallMs)
  const inProc = (rs) => (rs[0].inProcessMs === undefined ? undefined : summary(rs.map((r) => r.inProcessMs)))
  return {
    a,
    b,
    labelA: COMMANDS[a].label,
    labelB: COMMANDS[b].label,
    wallA: summary(wallA),
    wallB: summary(wallB),
    inProcessA: inProc(runs.a),
    inProcessB: inProc(runs.b),
    ratio: summary(wallA.map((x, k) => x / wallB[k])),
    deltaMs: summary(wallA.map((x, k) => x - wallB[k])),
    pairs,
  }
}

/** Runs the in-process breakdown script `runs` times: per-step median and range. */
function firstTokenBreakdown(runs) {
  const all = []
  for (let k = 0; k < runs; k++) {
    const child = spawnSync(process.execPath, [cold('first-token-breakdown.cjs')], { cwd: benchDir, encoding: 'utf8' })
    if (child.status !== 0) throw new Error(`first-token-breakdown.cjs: exit ${child.status}: ${child.stderr.trim().split('\n')[0]}`)
    all.push(JSON.parse(child.stdout).steps)
  }
  const steps = all[0].map(({ step }, i) => ({ step, ...summary(all.map((r) => r[i].ms)) }))
  const ours = all.map((r) => r.slice(2, 6).reduce((a, x) => a + x.ms, 0))
  return { runs, steps, ours: summary(ours) }
}

export async function runColdStart({ settings = defaultSettings, log = console.log } = {}) {
  const s = settings.cold
  log(`\n== Cold start: process start → first token (${s.pairs} A/B pairs per row, alternating order, ${s.warmupRuns} warm-up run(s) each; ${settings.quick ? 'QUICK' : 'full'} run)`)
  const results = []
  const broken = []
  for (const [a, b] of COMPARISONS) {
    try {
      results.push(await compare(a, b, s))
    } catch (error) {
      broken.push({ id: `${a}-vs-${b}`, reason: error.message })
      log(`  BROKEN ${COMMANDS[a].label} vs ${COMMANDS[b].label}: ${error.message}`)
    }
  }
  const ms = (x) => (x ? `${num(x.median, 1)} (${num(x.min, 0)}–${num(x.max, 0)})` : '-')
  log(table(
    [
      { title: 'A', align: 'left' }, { title: 'B (baseline)', align: 'left' },
      { title: 'A wall ms: median (min–max)', align: 'right' }, { title: 'B wall ms', align: 'right' },
      { title: 'A/B paired: median (min–max)', align: 'right' }, { title: 'Δ A−B ms: median (min…max)', align: 'right' },
      { title: 'A in-process ms', align: 'right' },
    ],
    results.map((r) => [r.labelA, r.labelB, ms(r.wallA), ms(r.wallB), ratioRange(r.ratio),
      `${signedMs(r.deltaMs.median)} (${r.deltaMs.min.toFixed(0)}…${r.deltaMs.max.toFixed(0)})`, r.inProcessA ? num(r.inProcessA.median, 1) : '-']),
  ))
  for (const line of LEGEND) log(line)

  let breakdown
  try {
    breakdown = firstTokenBreakdown(settings.quick ? 3 : 10)
  } catch (error) {
    broken.push({ id: 'first-token-breakdown', reason: error.message })
    log(`  BROKEN first-token breakdown: ${error.message}`)
  }
  if (breakdown) {
    log(`\n-- Where our first token's time goes, in the process (median of ${breakdown.runs} runs of cold/first-token-breakdown.cjs)`)
    log(table([{ title: 'step', align: 'left' }, { title: 'ms median', align: 'right' }, { title: 'min–max', align: 'right' }],
      breakdown.steps.map((x) => [x.step, num(x.median, 1), `${num(x.min, 1)}–${num(x.max, 1)}`])))
    log(`  our code (core + stream + provider + first token): ${num(breakdown.ours.median, 1)} ms median`)
  }

  const warnings = []
  const noisy = results.filter((r) => r.ratio.max / r.ratio.min > 1.6)
  if (noisy.length > 0) {
    warnings.push(`cold start: ${noisy.length}/${results.length} comparisons have paired ratios spread over more than 1.6x ` +
      '(another process was busy): read the medians only, or rerun before quoting them')
    for (const w of warnings) log(`  WARNING ${w}`)
  }

  const find = (a, b) => results.find((r) => r.a === a && r.b === b)
  const goal = (id, text, r) =>
    judge({ id, text, kind: 'ms', op: '<=', target: 10, measured: r?.deltaMs, unmeasured: r ? undefined : 'BROKEN (see above)' })
  // Our first token's overhead over an empty process, as a share of the Stream SDK's: the medians of the two paired runs.
  const [oursOver, sdkOver] = [find('oursCjs', 'floor'), find('sdk', 'floor')]
  const share = oursOver && sdkOver ? oursOver.deltaMs.median / sdkOver.deltaMs.median : undefined
  const goals = [
    goal('cold-ours-cjs-minus-raw', 'Cold: our first token (CJS) − raw node:crypto first token', find('oursCjs', 'rawCjs')),
    goal('cold-ours-esm-minus-raw', 'Cold: our first token (ESM) − raw node:crypto first token', find('oursEsm', 'rawEsm')),
    judge({
      id: 'cold-ours-share-of-sdk',
      text: 'Cold: our overhead over node -e 0, as a share of the Stream SDK\'s',
      kind: 'ratio',
      op: '<=',
      target: 0.5,
      measured: share === undefined ? undefined : { median: share, min: share, max: share },
      unmeasured: share === undefined ? 'BROKEN (see above)' : undefined,
    }),
  ]
  const vsSdk = find('oursCjs', 'sdk')
  const info = vsSdk ? [{ text: 'Cold: our first token (CJS) vs the Stream SDK\'s first token', ratio: vsSdk.ratio, deltaMs: vsSdk.deltaMs }] : []
  return {
    section: { at: new Date().toISOString(), settings: s, quick: settings.quick, comparisons: results, breakdown, broken, warnings },
    goals,
    warnings,
    info,
    broken,
  }
}


if (isMain(import.meta.url)) {
  const result = await runColdStart()
  const previous = readJson(latestPath)?.goals ?? []
  console.log('\n== Cold-start goals (never fail the run)')
  console.log(goalsTable(result.goals, previous))
  for (const i of result.info) console.log(`  ${i.text}: ${ratioRange(i.ratio)}, ${signedMs(i.deltaMs.median)}`)
  saveResults({ cold: result.section, goals: [...previous.filter((g) => !result.goals.some((x) => x.id === g.id)), ...result.goals] }, { fresh: false })
  console.log(`\nwrote ${latestPath}`)
  if (result.broken.length > 0) {
    console.error(`\n${result.broken.length} broken comparison(s): exit 1`)
    process.exitCode = 1
  }
}
