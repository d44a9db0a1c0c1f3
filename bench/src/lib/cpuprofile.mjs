// Reading a V8 .cpuprofile (from `node --cpu-prof`): top frames by self and total time, and self time per package.
// Used by profile.mjs (a mint case) and http.mjs --profile (a server under load).

/** A frame's file, short: "express/lib/router/index.js", "@calltoken/core/dist/index.js", "node:internal/…". */
export const short = (url) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
    .replace(/.*\/node_modules\//, '')
    .replace(/.*\/packages\/([^/]+)\//, '@calltoken/$1/')
    .replace(/.*\/bench\/src\//, 'bench/src/')

/** The package a frame belongs to: an npm name, "@calltoken/x", "node (internals)", "bench (this file)", or V8's own "(garbage collector)" etc. */
export function packageOf(callFrame) {
  const { url, functionName } = callFrame
  if (!url) return functionName?.startsWith('(') ? functionName : '(native / V8 builtins)'
  if (url.startsWith('node:')) return 'node (internals)'
  const s = short(url)
  if (s.startsWith('bench/src/')) return 'bench (the server file)'
  const parts = s.split('/')
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]
}

const label = (n) => {
  const f = n.callFrame
  return `${f.functionName || '(anonymous)'}  ${f.url ? `${short(f.url)}:${f.lineNumber + 1}` : ''}`.trim()
}

/**
 * Sampled time (µs) of a profile: `all` (every sample), `busy` (without (idle)), and Maps of label → µs for self time,
 * total (inclusive) time and self time per package. window: { from, to } in the profile's clock (µs, the same
 * monotonic clock as process.hrtime on Linux) keeps only the samples taken in between.
 */
export function analyse(profile, window) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const timeOf = new Map()
  let t = profile.startTime
  profile.samples.forEach((id, k) => {
    const dt = profile.timeDeltas[k] ?? 0
    t += dt
    if (window && (t < window.from || t > window.to)) return
    timeOf.set(id, (timeOf.get(id) ?? 0) + dt)
  })
  const self = new Map()
  const total = new Map()
  const packages = new Map()
  let all = 0
  let idle = 0
  for (const [id, us] of timeOf) {
    all += us
    const node = byId.get(id)
    if (node.callFrame.functionName === '(idle)') idle += us
    const key = label(node)
    self.set(key, (self.get(key) ?? 0) + us)
    const pkg = packageOf(node.callFrame)
    packages.set(pkg, (packages.get(pkg) ?? 0) + us)
    const seen = new Set()
    for (let x = id; x !== undefined; x = parent.get(x)) {
      const k = label(byId.get(x))
      if (seen.has(k)) continue
      seen.add(k)
      total.set(k, (total.get(k) ?? 0) + us)
    }
  }
  return { all, busy: all - idle, self, total, packages }
}

/** The n largest entries of a Map of label → µs, largest first. */
export const topOf = (m, n, skip = () => false) =>
  [...m].filter(([k]) => !skip(k)).sort((a, b) => b[1] - a[1]).slice(0, n)

/** profile.mjs's printout: top 20 by self time, top 25 by total time, as shares of all samples. */
export function summarize(profile) {
  const { all, self, total } = analyse(profile)
  const lines = (entries) => entries.map(([k, us]) => `  ${((100 * us) / all).toFixed(1).padStart(5)} %  ${k}`).join('\n')
  return { all, self: lines(topOf(self, 20)), total: lines(topOf(total, 25, (k) => /^\(root\)|^\(program\)/.test(k))) }
}
