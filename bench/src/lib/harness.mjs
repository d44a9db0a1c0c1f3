// Throughput harness: warm-up, then fixed-length windows taken round-robin across all cases, so slow drift
// (thermal, noisy neighbours, GC state) hits every case alike. Timed with process.hrtime.bigint().
import { MASK } from './fixtures.mjs'
import { summary } from './stats.mjs'

let sink = 0 // keeps results observable

function syncWindow(fn, batch, ns, start) {
  let i = start
  const cpu0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  const end = t0 + ns
  let t
  do {
    for (let k = 0; k < batch; k++) sink ^= fn(i++ & MASK).length
  } while ((t = process.hrtime.bigint()) < end)
  const cpu = process.cpuUsage(cpu0)
  return { ops: i - start, ns: Number(t - t0), cpuUs: cpu.user + cpu.system }
}

async function asyncWindow(fn, batch, ns, start) {
  let i = start
  const cpu0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  const end = t0 + ns
  let t
  do {
    for (let k = 0; k < batch; k++) sink ^= (await fn(i++ & MASK)).token.length
  } while ((t = process.hrtime.bigint()) < end)
  const cpu = process.cpuUsage(cpu0)
  return { ops: i - start, ns: Number(t - t0), cpuUs: cpu.user + cpu.system }
}

const windowOf = (c) => (c.async ? asyncWindow : syncWindow)
const ms = (n) => BigInt(Math.round(n * 1e6))

/**
 * cases: [{ id, async, fn(i) }] where fn returns a token string (sync) or a promise of { token } (async).
 * Fills case.windows with { ops, ns, cpuUs, rate } and returns per-case stats.
 */
export async function measure(cases, { warmupMs, windowMs, windows }, log = () => {}) {
  for (const c of cases) {
    // Warm-up with batch 1, then pick a batch that checks the clock about every 0.25 ms.
    const w = await windowOf(c)(c.fn, 1, ms(warmupMs), 0)
    const opsPerMs = w.ops / (w.ns / 1e6)
    c.batch = Math.max(1, Math.min(256, Math.round(opsPerMs / 4)))
    c.windows = []
    c.cursor = w.ops
    log(`  warm-up ${c.id}: ${Math.round(opsPerMs * 1000).toLocaleString('en-US')} tok/s, batch ${c.batch}`)
  }
  for (let round = 0; round < windows; round++) {
    // Rotate the starting case each round so no case always runs right after the same neighbour.
    const order = cases.map((_, k) => cases[(k + round) % cases.length])
    for (const c of order) {
      const w = await windowOf(c)(c.fn, c.batch, ms(windowMs), c.cursor)
      c.cursor += w.ops
      c.windows[round] = { ...w, rate: w.ops / (w.ns / 1e9) }
    }
    log(`  round ${round + 1}/${windows} done`)
  }
  if (sink === 0.5) console.log('') // never true; reads sink
  for (const c of cases) {
    const ops = c.windows.reduce((a, w) => a + w.ops, 0)
    const cpuUs = c.windows.reduce((a, w) => a + w.cpuUs, 0)
    const wallNs = c.windows.reduce((a, w) => a + w.ns, 0)
    c.stats = {
      rate: summary(c.windows.map((w) => w.rate)),
      wallUsPerToken: wallNs / 1000 / ops,
      cpuUsPerToken: cpuUs / ops,
      ops,
    }
  }
  return cases
}

/** Paired ratio a/b per round (windows of one round are adjacent in time): median and range. */
export function pairedRatio(a, b) {
  const ratios = a.windows.map((w, r) => w.rate / b.windows[r].rate)
  return summary(ratios)
}

/** Paired ratio of CPU cost, b's CPU µs/token over a's, per round: "a does the same work with x times less CPU".
 * Less sensitive than tok/s to other processes taking the CPU (it still counts GC and threadpool threads). */
export function pairedCpuRatio(a, b) {
  const perToken = (w) => w.cpuUs / w.ops
  return summary(a.windows.map((w, r) => perToken(b.windows[r]) / perToken(w)))
}
