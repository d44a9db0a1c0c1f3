// bench/results/latest.json: every figure of the last run, so a later run can be compared with it.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { fileURLToPath } from 'node:url'

export const resultsDir = fileURLToPath(new URL('../../results/', import.meta.url))
export const latestPath = `${resultsDir}latest.json`
export const previousPath = `${resultsDir}previous.json`

export function machine() {
  const cpus = os.cpus()
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${os.release()} ${process.arch}`,
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cpus: cpus.length,
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  }
}

export function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return undefined
  }
}

/**
 * Writes sections into latest.json. fresh: the old latest.json becomes previous.json and the file is
 * rewritten (run-all); otherwise only the given sections are replaced (a single script run on its own).
 */
export function saveResults(sections, { fresh }) {
  mkdirSync(resultsDir, { recursive: true })
  let base = {}
  if (fresh) {
    if (existsSync(latestPath)) copyFileSync(latestPath, previousPath)
  } else {
    base = readJson(latestPath) ?? {}
  }
  const data = { ...base, ...sections, savedAt: new Date().toISOString(), machine: machine() }
  writeFileSync(latestPath, `${JSON.stringify(data, null, 2)}\n`)
  return latestPath
}
