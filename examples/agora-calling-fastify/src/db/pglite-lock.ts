import { open, readFile, rm } from 'node:fs/promises'

/**
 * PGlite is one process's database: a second process opening the same directory (the app and the `prune-calls` script,
 * or two app instances) would corrupt it. A lock file next to the directory, holding the owner's pid, makes
 * that an error instead. A lock left by a process that no longer runs is taken over.
 */
export async function lockPgliteDir(dir: string): Promise<() => Promise<void>> {
  const path = `${dir}.lock`
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx')
      await file.writeFile(String(process.pid))
      await file.close()
      return () => rm(path, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number(await readFile(path, 'utf8').catch(() => ''))
      if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
        throw new Error(`The PGlite data directory ${dir} is in use by process ${owner}; stop it first (or use PostgreSQL via DATABASE_URL)`)
      }
      await rm(path, { force: true })
    }
  }
  throw new Error(`Could not lock the PGlite data directory ${dir}`)
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
