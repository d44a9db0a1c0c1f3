// The seeded slice CI runs every time: ~2,000 hostile requests over every binding (with all six providers) and
// every example app. The full run is `pnpm fuzz` (2,000 per target). FUZZ_SEED picks another slice.
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs module, typed by its use here
import { failed, fuzz } from '../src/fuzz.mjs'

interface Report {
  target: string
  requests: number
  classes: Record<string, number>
  fiveHundreds: number
  samples: unknown[]
  crashed: boolean
  unhandled: number
  leaks: unknown[]
}

const seed = Number(process.env.FUZZ_SEED ?? 20261202)

describe(`hostile traffic, seed ${seed}`, () => {
  it('every target answers every request with a status below 500, never crashes, never leaks a secret or a token', async () => {
    const reports = (await fuzz({ seed, perTarget: 334 })) as Report[]
    expect(reports.map((report) => report.target)).toEqual([
      'express × 6 providers',
      'fastify × 6 providers',
      'fetch × 6 providers',
      'examples/stream-express',
      'examples/twilio-appointments-express',
      'examples/agora-calling-fastify',
    ])
    for (const report of reports) {
      expect(report.requests).toBe(334)
      // Every request got an answer that is a status: none reset, none timed out.
      expect(Object.keys(report.classes).every((cls) => /^[234]xx$/.test(cls)), `${report.target}: ${JSON.stringify(report.classes)}`).toBe(true)
      expect(failed(report), `${report.target}: ${JSON.stringify({ samples: report.samples, leaks: report.leaks, crashed: report.crashed, unhandled: report.unhandled })}`).toBe(false)
    }
  })
})
