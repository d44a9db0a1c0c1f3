// What .ci/readme-commands.sh runs (see there). Every command comes from a README, chosen by the runners of
// docs/test/shell-commands.ts for '.ci/readme-commands.sh', so this script and the coverage test cannot disagree.
import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../examples/quickstart/src/free-port'
import { allCommands, isInstallLine, PRE_RELEASE_SECTION, readmeSteps, readmeText, runnerCommands, type ShellCommand } from '../docs/test/shell-commands'
import { runSession, type SessionOptions } from '../docs/test/shell-session'

const root = fileURLToPath(new URL('../', import.meta.url))
const BY = '.ci/readme-commands.sh'
const STEPS = ['pre-release', 'installs', 'getting-started', 'demo'] as const
type Step = (typeof STEPS)[number]

const onlyArg = process.argv.indexOf('--only')
const only = new Set((onlyArg >= 0 ? (process.argv[onlyArg + 1] ?? '') : STEPS.join(',')).split(',') as Step[])
for (const step of only) if (!STEPS.includes(step)) throw new Error(`--only: unknown step ${step} (${STEPS.join(', ')})`)

const work = mkdtempSync(join(tmpdir(), 'calltoken-readme-commands-'))
const packs = join(work, 'packs')
/** Only what a shell needs, plus npm settings that keep its output short; the user's npm cache is reused. */
const baseEnv: Record<string, string> = {
  ...Object.fromEntries(['PATH', 'HOME', 'TMPDIR', 'LANG'].flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : []))),
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_prefer_offline: 'true',
}
const problems: string[] = []
const timings: string[] = []

async function timed(name: string, run: () => Promise<void>) {
  const started = Date.now()
  console.log(`\n== ${name}`)
  await run()
  timings.push(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

function run(command: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('close', (code) => resolve({ code, output }))
  })
}

const where = (command: ShellCommand) => `${command.file}:${command.line}`
const tail = (text: string) => text.trim().split('\n').slice(-40).join('\n')

/** The @calltoken packages installed in `dir` each load with import() and require(), and npm ls finds nothing wrong. */
async function checkProject(dir: string, env: Record<string, string>, label: string): Promise<string[]> {
  const found: string[] = []
  const scope = join(dir, 'node_modules/@calltoken')
  const names = existsSync(scope) ? readdirSync(scope).map((name) => `@calltoken/${name}`) : []
  for (const name of names) {
    for (const load of [`import('${name}')`, `require('${name}')`]) {
      const { code, output } = await run(`node -e "${load}"`, dir, env)
      if (code !== 0) found.push(`${label}: node -e "${load}" failed:\n${tail(output)}`)
    }
  }
  const ls = await run('npm ls --all', dir, env)
  if (ls.code !== 0) found.push(`${label}: npm ls reports a missing or invalid dependency:\n${tail(ls.output)}`)
  console.log(`   ${label}: ${names.length ? `${names.join(', ')} load with import() and require()` : 'no @calltoken package'}${ls.code === 0 ? ', npm ls clean' : ''}`)
  return found
}

/** README.md, "Using the packages before the first release": build, pack, and install two tarballs in another project. */
async function preRelease() {
  const commands = runnerCommands(root, BY, 'README.md').filter((command) => command.section === PRE_RELEASE_SECTION)
  const split = commands.findIndex((command) => command.text.startsWith('cd ../'))
  if (commands.length === 0 || split < 1) throw new Error(`README.md, ${PRE_RELEASE_SECTION}: expected commands in the clone, then \`cd ../my-app && …\``)
  const substitutions = [{ from: '/tmp/calltoken-packs', to: packs }]
  const steps = (list: ShellCommand[]) => list.map((command) => ({ kind: 'command' as const, command }))
  // In the clone (this repository), as the README says: install, build, pack (into a directory of this run).
  const inClone = await runSession(steps(commands.slice(0, split)), { cwd: root, env: { ...process.env, ...baseEnv } as Record<string, string>, substitutions, timeoutMs: 600_000 })
  problems.push(...inClone.problems)
  if (inClone.problems.length > 0) return
  // Then `cd ../my-app && npm install …` from a stand-in for the clone, next to a fresh npm project called my-app.
  const clone = join(work, 'layout/calltoken')
  const myApp = join(work, 'layout/my-app')
  mkdirSync(clone, { recursive: true })
  mkdirSync(myApp, { recursive: true })
  execFileSync('npm', ['init', '-y'], { cwd: myApp, env: baseEnv, stdio: 'ignore' })
  const inApp = await runSession(steps(commands.slice(split)), { cwd: clone, env: baseEnv, substitutions, timeoutMs: 300_000 })
  problems.push(...inApp.problems)
  if (inApp.problems.length === 0) problems.push(...(await checkProject(myApp, baseEnv, 'README.md: my-app')))
}

/** For a run --only some other steps: just the README's pack line, with the packages as they are built now. */
async function packOnly() {
  const pack = runnerCommands(root, BY, 'README.md').filter((command) => command.section === PRE_RELEASE_SECTION && / pack /.test(command.text))
  const session = await runSession(
    pack.map((command) => ({ kind: 'command' as const, command })),
    { cwd: root, env: { ...process.env, ...baseEnv } as Record<string, string>, substitutions: [{ from: '/tmp/calltoken-packs', to: packs }] },
  )
  problems.push(...session.problems)
}

/** The packed packages as a registry (every other package passed through): what npm sees once ours are published. */
async function startRegistry(): Promise<{ npmrc: string; server: Server }> {
  const packuments = new Map<string, object>()
  const tarballs = new Map<string, string>()
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const upstream = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim().replace(/\/?$/, '/')
  for (const file of readdirSync(packs).filter((name) => name.endsWith('.tgz'))) {
    const path = join(packs, file)
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', path, 'package/package.json'], { encoding: 'utf8' })) as { name: string; version: string }
    const bytes = readFileSync(path)
    tarballs.set(`/-/${file}`, path)
    packuments.set(manifest.name, {
      name: manifest.name,
      'dist-tags': { latest: manifest.version },
      versions: {
        [manifest.version]: {
          ...manifest,
          dist: {
            tarball: `${base}/-/${file}`,
            integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
            shasum: createHash('sha1').update(bytes).digest('hex'),
          },
        },
      },
    })
  }
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!)
    const tarball = tarballs.get(path)
    if (tarball) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(tarball))
      return
    }
    const packument = packuments.get(path.slice(1))
    if (packument) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument))
    // Any other package (express, jose…) comes from the user's own registry, as it would once ours are published.
    fetch(`${upstream}${path.slice(1)}`, { headers: { accept: req.headers.accept ?? '*/*' } }).then(
      async (answer) => void res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(Buffer.from(await answer.arrayBuffer())),
      () => void res.writeHead(502).end(),
    )
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  // The user's own npm settings (a proxy, a mirror) stay; the registry points here, for the unscoped `calltoken` CLI
  // too, and the server passes every other package through to the user's registry.
  const userconfig = execFileSync('npm', ['config', 'get', 'userconfig'], { encoding: 'utf8' }).trim()
  const npmrc = join(work, 'npmrc')
  writeFileSync(npmrc, `${existsSync(userconfig) ? `${readFileSync(userconfig, 'utf8')}\n` : ''}registry=${base}/\n@calltoken:registry=${base}/\n`)
  console.log(`   @calltoken/* from ${base}/: ${[...packuments.keys()].join(', ')}`)
  return { npmrc, server }
}

/** Every distinct install line of every README, as written, each in a fresh npm project. Two at a time. */
async function installs(npmrc: string) {
  const byLine = new Map<string, ShellCommand[]>()
  for (const command of allCommands(root).filter(isInstallLine)) byLine.set(command.text, [...(byLine.get(command.text) ?? []), command])
  const lines = [...byLine]
  const env = { ...baseEnv, NPM_CONFIG_USERCONFIG: npmrc }
  let next = 0
  const worker = async () => {
    for (let i = next++; i < lines.length; i = next++) {
      const [text, commands] = lines[i]!
      const dir = join(work, `install-${i}`)
      mkdirSync(dir)
      execFileSync('npm', ['init', '-y'], { cwd: dir, env, stdio: 'ignore' })
      const label = `${text}  (${commands.map(where).join(', ')})`
      const { code, output } = await run(commands[0]!.raw, dir, env)
      if (code !== 0) problems.push(`${label}: exited with ${code}:\n${tail(output)}`)
      else problems.push(...(await checkProject(dir, env, label)))
      rmSync(dir, { recursive: true, force: true })
    }
  }
  await Promise.all([worker(), worker()])
}

/** docs/getting-started.md from top to bottom, in a temporary directory, the files it names written where it says. */
async function gettingStarted(npmrc: string) {
  const file = 'docs/getting-started.md'
  const selected = new Set(runnerCommands(root, BY, file).map((command) => command.line))
  const steps = readmeSteps(file, readmeText(root, file)).filter((step) => step.kind === 'file' || selected.has(step.command.line))
  // A command that runs a file of the guide that listens is its server: started in the background.
  const servers = new Set(steps.flatMap((step) => (step.kind === 'file' && step.file.content.includes('.listen(') ? [step.file.name] : [])))
  const port = await freePort()
  const dir = join(work, 'guide')
  mkdirSync(dir)
  const options: SessionOptions = {
    cwd: dir,
    env: { ...baseEnv, NPM_CONFIG_USERCONFIG: npmrc },
    substitutions: [
      { from: 'localhost:3000', to: `localhost:${port}` },
      { from: 'listen(3000', to: `listen(${port}` },
    ],
    background: { matches: (command) => [...servers].some((name) => command.text.endsWith(` ${name}`)), readyUrl: `http://localhost:${port}/` },
    timeoutMs: 600_000,
  }
  const session = await runSession(steps, options)
  for (const result of session.results) console.log(`   ${where(result.command)}  ${result.code === 0 ? 'ok' : `exit ${result.code}`}  ${result.command.text.slice(0, 100)}`)
  problems.push(...session.problems)
  if (session.problems.length === 0) problems.push(...(await checkProject(join(dir, 'my-app'), options.env as Record<string, string>, `${file}: my-app`)))
}

/** README.md's demo command, from the repository root. */
async function demo() {
  const commands = runnerCommands(root, BY, 'README.md').filter((command) => command.marker === 'demo-command')
  if (commands.length === 0) throw new Error('README.md has no command under <!-- demo-command -->')
  for (const command of commands) {
    const { code, output } = await run(command.raw, root, process.env as Record<string, string>)
    console.log(`   ${where(command)}  ${code === 0 ? 'ok' : `exit ${code}`}  ${command.text}`)
    if (code !== 0) problems.push(`${where(command)}: ${command.text} exited with ${code}:\n${tail(output)}`)
  }
}

let registry: { npmrc: string; server: Server } | undefined
try {
  if (only.has('pre-release')) await timed('README.md: before the first release (build, pack, install in my-app)', preRelease)
  else await timed('README.md: the pack line alone (the packages already built)', packOnly)
  if (problems.length === 0 && (only.has('installs') || only.has('getting-started'))) {
    registry = await startRegistry()
    if (only.has('installs')) await timed('install lines, each in a fresh npm project', () => installs(registry!.npmrc))
    if (only.has('getting-started')) await timed('docs/getting-started.md', () => gettingStarted(registry!.npmrc))
  }
  if (only.has('demo')) await timed('README.md: the demo command', demo)
} finally {
  registry?.server.close()
  rmSync(work, { recursive: true, force: true })
}
console.log(`\n${timings.join('\n')}`)
if (problems.length > 0) {
  console.error(`\nREADME commands that failed:\n\n${problems.join('\n\n')}`)
  process.exit(1)
}
console.log(`\nEvery README command of ${basename(BY)} ran.`)
