// An example app's README, run the way a reader follows it: the app started with the README's own `dev` command,
// then every other command of the README in order in one bash session against it.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEMO_APPS } from '../../examples/quickstart/src/apps'
import { embeddedDefaultsEnv, startApp, type RunningApp } from '../../examples/quickstart/src/run-app'
import { readmeSteps, readmeText, runnerCommands, type ShellCommand } from './shell-commands'
import { runSession, type SessionResult } from './shell-session'

const root = fileURLToPath(new URL('../../', import.meta.url))

export interface ExampleWalkthrough extends SessionResult {
  /** The README command that started the app. */
  readonly server: ShellCommand
}

/**
 * `name` is the app's folder under examples/; `address` how its README names the app's address (e.g.
 * `http://localhost:3000`), replaced by the address of the app the README's `dev` command started (a free port on
 * 127.0.0.1). The app and every script the README runs get the app's embedded defaults (demo credentials), nothing
 * from the developer's shell, and PGlite directories of their own that are removed afterwards.
 */
export async function runExampleReadme(name: string, address: string, timeoutMs = 240_000): Promise<ExampleWalkthrough> {
  const file = `examples/${name}/README.md`
  const app = DEMO_APPS.find((demo) => demo.name === name)
  if (!app) throw new Error(`${name} is not one of the demo apps (examples/quickstart/src/apps.ts)`)
  const commands = runnerCommands(root, `examples/${name}/test/readme-walkthrough.test.ts`, file)
  const servers = commands.filter((command) => / dev$/.test(command.text))
  if (servers.length !== 1) throw new Error(`${file}: expected one \`… dev\` command to start the app, found ${servers.length}`)
  const server = servers[0]!
  const selected = new Set(commands.filter((command) => command !== server).map((command) => `${command.line}`))
  const steps = readmeSteps(file, readmeText(root, file)).filter((step) => step.kind === 'command' && selected.has(`${step.command.line}`))

  const controller = new AbortController()
  const scriptsData = await mkdtemp(join(tmpdir(), `calltoken-readme-${name}-`))
  let running: RunningApp | undefined
  try {
    running = await startApp(app, controller.signal, { command: { line: server.raw, cwd: root } })
    const port = Number(new URL(running.url).port)
    const session = await runSession(steps, {
      cwd: root,
      env: embeddedDefaultsEnv(app, port, join(scriptsData, 'pglite')),
      substitutions: [{ from: address, to: running.url }],
      timeoutMs,
    })
    return { ...session, server }
  } finally {
    const stopped = await running?.stop()
    controller.abort()
    await rm(scriptsData, { recursive: true, force: true })
    if (stopped?.forced) console.warn(`${file}: the app started by \`${server.text}\` ignored SIGTERM and was killed`)
  }
}
