// The soak's samples as a picture: four panels over time (throughput, p99 latency, RSS, event-loop delay p99), one
// line per binding, drawn as SVG and photographed by Debian's Chromium into a PNG. Without Chromium only the SVG is
// written beside it.
import { existsSync, writeFileSync } from 'node:fs'

const COLOURS = { express: '#2456d6', fastify: '#1e7d45', fetch: '#c2410c' }
const PANELS = [
  { field: 'rps', title: 'throughput (requests/s)' },
  { field: 'p99Ms', title: 'latency p99 (ms)' },
  { field: 'rssMb', title: 'RSS (MB)' },
  { field: 'delayP99Ms', title: 'event-loop delay p99 (ms)' },
]
const W = 1100
const PANEL_H = 210

const escape = (text) => String(text).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c])

function panel(runs, { field, title }, top) {
  const left = 70
  const right = W - 20
  const height = PANEL_H - 50
  const tMax = Math.max(...runs.flatMap((run) => run.samples.map((s) => s.t)), 1)
  const vMax = Math.max(...runs.flatMap((run) => run.samples.map((s) => s[field])), 1) * 1.1
  const x = (t) => left + ((right - left) * t) / tMax
  const y = (v) => top + 30 + height - (height * v) / vMax
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const value = vMax * f
    return `<line x1="${left}" x2="${right}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e7eb"/><text x="${left - 8}" y="${y(value) + 4}" text-anchor="end">${value >= 100 ? Math.round(value) : value.toFixed(1)}</text>`
  })
  const lines = runs.map((run) => {
    const points = run.samples.map((s) => `${x(s.t).toFixed(1)},${y(s[field]).toFixed(1)}`).join(' ')
    return `<polyline fill="none" stroke="${COLOURS[run.framework] ?? '#555'}" stroke-width="2" points="${points}"/>`
  })
  const seconds = [0, 0.25, 0.5, 0.75, 1].map((f) => `<text x="${x(tMax * f)}" y="${top + 30 + height + 16}" text-anchor="middle">${Math.round(tMax * f)} s</text>`)
  return `<text x="${left}" y="${top + 18}" font-weight="600">${escape(title)}</text>${ticks.join('')}${lines.join('')}${seconds.join('')}`
}

/** The SVG of the runs. */
export function soakSvg(runs) {
  const legend = runs.map((run, i) => `<rect x="${70 + i * 160}" y="14" width="14" height="14" fill="${COLOURS[run.framework]}"/><text x="${90 + i * 160}" y="26">${escape(run.framework)}</text>`)
  const height = 40 + PANELS.length * PANEL_H
  const seconds = runs[0]?.seconds ?? 0
  const length = seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${seconds} s`
  const title = `<text x="${W - 20}" y="26" text-anchor="end" fill="#555">${runs[0]?.concurrency ?? ''} concurrent requests, ${length} per binding, samples every 5 s</text>`
  const body = PANELS.map((p, i) => panel(runs, p, 40 + i * PANEL_H)).join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" font-family="DejaVu Sans, sans-serif" font-size="12"><rect width="100%" height="100%" fill="#fff"/>${legend.join('')}${title}${body}</svg>`
}

/** Writes `path` (a PNG, through Chromium) and the SVG beside it; resolves false when there is no Chromium. */
export async function plotSoak(runs, path, chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') {
  const svg = soakSvg(runs)
  writeFileSync(path.replace(/\.png$/, '.svg'), svg)
  if (!existsSync(chromiumPath)) return false
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'] })
  try {
    const page = await browser.newPage({ viewport: { width: W, height: 40 + PANELS.length * PANEL_H } })
    await page.setContent(`<!doctype html><body style="margin:0">${svg}</body>`)
    await page.screenshot({ path, fullPage: true })
    return true
  } finally {
    await browser.close()
  }
}
