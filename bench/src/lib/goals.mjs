// Goals are printed next to the figures; they never fail the run.
import { int, num, ratio, signedMs, table } from './stats.mjs'

/**
 * goal: { id, text, kind: 'ratio' | 'ms' | 'bytes', op: '>=' | '<=', target, measured?: { median, min, max }, unmeasured?: string (why not) }
 */
export function judge(goal) {
  if (!goal.measured) return { ...goal, met: null }
  const v = goal.measured.median
  return { ...goal, met: goal.op === '>=' ? v >= goal.target : v <= goal.target }
}

const fmt = (goal, v) => (goal.kind === 'ms' ? signedMs(v) : goal.kind === 'bytes' ? `${int(v)} B` : ratio(v))
const targetOf = (goal) => (goal.kind === 'ms' ? `${goal.target} ms` : goal.kind === 'bytes' ? `${int(goal.target)} B` : `${goal.target}x`)

export function goalsTable(goals, previous = []) {
  const prev = new Map(previous.map((g) => [g.id, g]))
  const rows = goals.map((g) => {
    const target = `${g.op === '>=' ? '≥' : '≤'} ${targetOf(g)}`
    const range = g.kind === 'bytes' ? '' : ` (${g.kind === 'ms' ? `${g.measured?.min.toFixed(1)}…${g.measured?.max.toFixed(1)}` : `${num(g.measured?.min)}–${num(g.measured?.max)}`})`
    const measured = g.measured
      ? `${fmt(g, g.measured.median)}${range}`
      : (g.unmeasured ?? 'not measured')
    const status = g.met === null || g.met === undefined ? '-' : g.met ? 'met' : 'NOT MET'
    const p = prev.get(g.id)?.measured
    return [g.text, target, measured, g.cpu ? ratio(g.cpu.median) : '', status, p ? fmt(g, p.median) : '-']
  })
  return table(
    [
      { title: 'goal', align: 'left' },
      { title: 'target', align: 'left' },
      { title: 'measured: median (range)', align: 'left' },
      { title: 'by CPU time', align: 'right' },
      { title: 'status', align: 'left' },
      { title: 'previous run', align: 'right' },
    ],
    rows,
  )
}
