// Small statistics and formatting helpers (no dependencies).

export function median(values) {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export const min = (values) => values.reduce((a, b) => Math.min(a, b), Infinity)
export const max = (values) => values.reduce((a, b) => Math.max(a, b), -Infinity)

/** Median and range of a list of numbers. */
export function summary(values) {
  return { median: median(values), min: min(values), max: max(values), n: values.length }
}

/** Thousands separators, no decimals. */
export const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-')

/** A number with `digits` significant-ish decimals: 3.1, 0.42, 152. */
export function num(n, digits = 2) {
  if (!Number.isFinite(n)) return '-'
  const abs = Math.abs(n)
  if (abs > 0 && abs < 0.1) return n.toPrecision(2)
  if (abs >= 100) return n.toFixed(0)
  if (abs >= 10) return n.toFixed(Math.max(0, digits - 1))
  return n.toFixed(digits)
}

/** A ratio such as "152x" or "0.43x". */
export const ratio = (n) => (Number.isFinite(n) ? `${num(n, n >= 10 ? 0 : 2)}x` : '-')

/** "median (min–max)" for ratios. */
export const ratioRange = (s) => (s ? `${ratio(s.median)} (${num(s.min, 2)}–${num(s.max, 2)})` : '-')

/** Signed milliseconds, "+2.1 ms". */
export const signedMs = (n) => (Number.isFinite(n) ? `${n >= 0 ? '+' : '-'}${num(Math.abs(n), 1)} ms` : '-')

/**
 * Prints rows as an aligned text table. `columns`: [{ title, align: 'left' | 'right' }]; rows: arrays of strings.
 */
export function table(columns, rows) {
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => String(r[i] ?? '').length)))
  const cell = (text, i) => {
    const s = String(text ?? '')
    return columns[i].align === 'left' ? s.padEnd(widths[i]) : s.padStart(widths[i])
  }
  const lines = [columns.map((c, i) => cell(c.title, i)).join('  '), widths.map((w) => '-'.repeat(w)).join('  ')]
  for (const row of rows) lines.push(row.map(cell).join('  '))
  return lines.join('\n')
}
