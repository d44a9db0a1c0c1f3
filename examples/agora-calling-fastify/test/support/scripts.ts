import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'

const run = promisify(execFile)
export const APP_DIR = new URL('../..', import.meta.url).pathname

/** Runs a package.json script the way pnpm does: its command, from the app folder, with node_modules/.bin on PATH. */
export async function runScript(name: string, args: string[], env: Record<string, string>) {
  const scripts = JSON.parse(await readFile(`${APP_DIR}package.json`, 'utf8')).scripts as Record<string, string>
  return run('sh', ['-c', `${scripts[name]} "$@"`, name, ...args], {
    cwd: APP_DIR,
    // Only what the script needs: no NODE_ENV, CI or DATABASE_URL leaking in from the test run.
    env: { PATH: `${APP_DIR}node_modules/.bin:${process.env.PATH}`, HOME: process.env.HOME ?? '/tmp', ...env },
  })
}
