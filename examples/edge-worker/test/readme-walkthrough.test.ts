// README.md, run as a reader follows it: every command of "Run it locally" in order in one bash session, the real
// `npx wrangler dev` in the background, each answer checked against what the README shows under it. wrangler needs
// Node 22, so the registry's Node 22 comes first on the session's PATH. And `wrangler deploy --dry-run`: the build
// of the README's deploy command, which itself needs a Cloudflare account.
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readmeSteps, readmeText, runnerCommands } from '../../../docs/test/shell-commands'
import { hasCurl, runSession } from '../../../docs/test/shell-session'
import { freePort } from '../../quickstart/src/free-port'
import { BIN } from '../../../runtimes/test/binaries'
import { EXAMPLE } from './support/workerd'

const root = join(EXAMPLE, '../..')
const BY = 'examples/edge-worker/test/readme-walkthrough.test.ts'
const README = 'examples/edge-worker/README.md'
const DEV = 'npx wrangler dev'

const curl = hasCurl()
if (!curl) console.warn(`\n⚠️  [example-edge-worker] curl not found: the README walkthrough is ${process.env.CI ? 'FAILING (CI)' : 'SKIPPED'}.\n`)

let work: string
/** wrangler's environment: Node 22 first, no telemetry, no fetch of `Request.cf` from Cloudflare, its log files in a temporary directory. */
let env: Record<string, string>
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'calltoken-edge-worker-readme-'))
  env = { PATH: `${dirname(BIN.node22)}:${process.env.PATH ?? ''}`, CI: 'true', NO_COLOR: '1', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_LOG_PATH: join(work, 'logs') }
  for (const name of ['HOME', 'TMPDIR']) if (process.env[name] !== undefined) env[name] = process.env[name]!
})
afterAll(() => rm(work, { recursive: true, force: true }))

describe('README.md', () => {
  it.skipIf(!curl && !process.env.CI)('every local-dev command runs and answers as the README shows', async () => {
    const commands = runnerCommands(root, BY, README)
    expect(commands.filter((command) => command.text === DEV)).toHaveLength(1)
    const selected = new Set(commands.map((command) => command.line))
    const steps = readmeSteps(README, readmeText(root, README)).filter((step) => step.kind === 'command' && selected.has(step.command.line))
    const [port, inspector] = [await freePort(), await freePort()]
    // The README has the reader write .dev.vars; a developer's own is put back afterwards.
    const devVars = join(EXAMPLE, '.dev.vars')
    const saved = existsSync(devVars) ? join(work, '.dev.vars') : undefined
    if (saved) await copyFile(devVars, saved)
    try {
      const { problems, results } = await runSession(steps, {
        cwd: root,
        env,
        substitutions: [
          { from: DEV, to: `${DEV} --ip 127.0.0.1 --port ${port} --inspector-port ${inspector}` },
          { from: 'http://localhost:8787', to: `http://127.0.0.1:${port}` },
        ],
        background: { matches: (command) => command.text === DEV, readyUrl: `http://127.0.0.1:${port}/health` },
        timeoutMs: 150_000,
      })
      expect(problems).toEqual([])
      expect(results.filter((result) => result.command.text.startsWith('curl '))).toHaveLength(4)
    } finally {
      if (saved) await copyFile(saved, devVars)
      else await rm(devVars, { force: true })
    }
  }, 180_000)
})

describe('npx wrangler deploy', () => {
  it('--dry-run: bundles the built packages, their Web backends only, with no Node built-in and no nodejs_compat warning', async () => {
    const outdir = join(work, 'deploy')
    const { stdout, stderr } = await promisify(execFile)('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir, '--metafile', join(outdir, 'meta.json')], {
      cwd: EXAMPLE,
      env,
      timeout: 120_000,
    })
    const output = `${stdout}\n${stderr}`
    expect(output).toContain('--dry-run: exiting now.')
    expect(output).not.toMatch(/nodejs_compat|wasn't found on the file system/)
    const inputs = Object.keys((JSON.parse(readFileSync(join(outdir, 'meta.json'), 'utf8')) as { inputs: Record<string, unknown> }).inputs)
    const calltoken = inputs.filter((file) => /(^|\/)packages\//.test(file))
    expect(calltoken.length).toBeGreaterThan(5)
    expect(calltoken.filter((file) => !/packages\/[^/]+\/dist\//.test(file) || /\/node\.c?js$/.test(file))).toEqual([])
    expect(readFileSync(join(outdir, 'worker.js'), 'utf8')).not.toMatch(/from\s*["']node:/)
  }, 150_000)
})
