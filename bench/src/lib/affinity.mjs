// Optional CPU pinning for the HTTP bench: the server on one CPU, the load generator on another. Uses `taskset` (util-linux) from PATH when it is there; without it nothing is pinned and the
// bench says so. All threads of a process are pinned (-a): its libuv threadpool and V8 helper threads too.
import { spawnSync } from 'node:child_process'

function taskset(args) {
  const r = spawnSync('taskset', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  return r.error || r.status !== 0 ? undefined : r.stdout
}

/** "0,1" or "0-3,6" → [0, 1] or [0, 1, 2, 3, 6]. */
function parseList(text) {
  const cpus = []
  for (const part of text.trim().split(',')) {
    const [a, b = a] = part.split('-').map(Number)
    for (let c = a; c <= b; c++) cpus.push(c)
  }
  return cpus.filter(Number.isInteger)
}

/** The CPUs a process may run on, or undefined when taskset is missing or fails. */
export function affinityOf(pid) {
  const out = taskset(['-c', '-p', String(pid)])
  return out === undefined ? undefined : parseList(out.slice(out.lastIndexOf(':') + 1))
}

/** Restricts every thread of `pid` to `cpus` (a number or a list); true when taskset did it. */
export function setAffinity(pid, cpus) {
  return taskset(['-a', '-c', '-p', [cpus].flat().join(','), String(pid)]) !== undefined
}

/**
 * The plan: { on: true, server, loader, restore, text } when taskset exists and this process may use 2+ CPUs,
 * else { on: false, text } saying why not.
 */
export function pinningPlan(wanted) {
  if (!wanted) return { on: false, text: 'no CPU pinning (BENCH_HTTP_PIN=0): the scheduler places the server and autocannon' }
  const cpus = affinityOf(process.pid)
  if (cpus === undefined) return { on: false, text: 'no CPU pinning (taskset not found): the scheduler places the server and autocannon' }
  if (cpus.length < 2) return { on: false, text: `no CPU pinning (this process may use only CPU ${cpus.join(',')})` }
  return {
    on: true,
    server: cpus[0],
    loader: cpus[1],
    restore: cpus,
    text: `pinned with taskset: server process on CPU ${cpus[0]} (with its threadpool and GC threads), autocannon (this process) on CPU ${cpus[1]}`,
  }
}
