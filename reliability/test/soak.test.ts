// The soak script itself, kept working: a short run of one binding, every request answered 200, samples with every
// figure, nothing secret in the server's logs, and a plot drawn. The real soak is `pnpm soak` (10 minutes each).
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs module, typed by its use here
import { leaksIn, soakBinding, verdict } from '../src/soak.mjs'
// @ts-expect-error: a plain .mjs module, typed by its use here
import { plotSoak } from '../src/plot.mjs'

const dir = mkdtempSync(join(tmpdir(), 'calltoken-soak-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('a 15 s soak of the fetch binding: no error, every sample complete, no secret or token in the logs, a PNG', async () => {
  const run = await soakBinding('fetch', { seconds: 15, concurrency: 8 })
  expect(run.errors).toBe(0)
  expect(run.samples.length).toBeGreaterThanOrEqual(2)
  for (const sample of run.samples) {
    expect(sample.rps).toBeGreaterThan(0)
    for (const field of ['p50Ms', 'p99Ms', 'rssMb', 'heapMb', 'delayP99Ms']) expect(Number.isFinite(sample[field]), field).toBe(true)
  }
  expect(verdict(run).leaks).toEqual([])
  expect(leaksIn('a log line with Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWhlcmUtMTIzNDU2')).toEqual(['a token'])
  const png = join(dir, 'soak.png')
  await plotSoak([run], png)
  expect(existsSync(png.replace(/\.png$/, '.svg'))).toBe(true)
  if (existsSync('/usr/bin/chromium')) expect(existsSync(png)).toBe(true)
}, 60_000)
