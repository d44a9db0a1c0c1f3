// Run settings: full by default, shortened by BENCH_QUICK=1 (or --quick) so CI can prove the bench works.
const env = process.env

export const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true' || process.argv.includes('--quick')

function positive(name, fallback) {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`)
  return value
}

export const settings = Object.freeze({
  quick,
  mint: Object.freeze({
    /** Untimed run of each case before the timed windows (JIT, caches, batch calibration). */
    warmupMs: positive('BENCH_WARMUP_MS', quick ? 200 : 1500),
    /** Length of one timed window. */
    windowMs: positive('BENCH_WINDOW_MS', quick ? 200 : 1000),
    /** Timed windows per case, taken round-robin across all cases. */
    windows: Math.round(positive('BENCH_WINDOWS', quick ? 3 : 7)),
  }),
  cold: Object.freeze({
    /** A/B pairs per comparison. */
    pairs: Math.round(positive('BENCH_COLD_PAIRS', quick ? 5 : 20)),
    /** Untimed runs of each side before the pairs. */
    warmupRuns: quick ? 1 : 2,
  }),
  http: Object.freeze({
    /** autocannon connections (closed loop: each sends its next request when the last answer arrives). */
    connections: Math.round(positive('BENCH_HTTP_CONNECTIONS', 10)),
    /** Untimed load on each scenario before the timed runs. */
    warmupSeconds: positive('BENCH_HTTP_WARMUP_S', quick ? 0.5 : 3),
    /** Length of one timed autocannon run. */
    seconds: positive('BENCH_HTTP_SECONDS', quick ? 1 : 4),
    /** Timed runs per scenario, taken round-robin across all scenarios. */
    runs: Math.round(positive('BENCH_HTTP_RUNS', quick ? 1 : 5)),
    /** Pin the server and the load generator to one CPU each with taskset, when taskset exists (BENCH_HTTP_PIN=0: never). */
    pin: env.BENCH_HTTP_PIN !== '0' && env.BENCH_HTTP_PIN !== 'false',
  }),
})
