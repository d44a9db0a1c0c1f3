// Every shell command a README gives is run by .ci/run (or a script it calls), or by a test — or is on a short list of
// commands that are shown but deliberately not run, each with its reason.
import { existsSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  allCommands,
  CI_PLACEHOLDERS,
  ciScripts,
  commandsOf,
  coverageOf,
  expectationOf,
  NOT_RUN_IN_CI,
  normalise,
  readmes,
  readmeSteps,
  RUNNERS,
  segments,
} from './shell-commands'
import { documentationFiles } from './snippets'

const root = fileURLToPath(new URL('../../', import.meta.url))
const read = (file: string) => readFileSync(join(root, file), 'utf8')

describe('every shell command of every README is run', () => {
  const commands = allCommands(root)

  it('reads the READMEs, the guides, and every command of their shell blocks', () => {
    const files = readmes(root)
    expect(files).toContain('README.md')
    expect(files).toContain('packages/core/README.md')
    expect(files).toContain('examples/stream-express/README.md')
    expect(files).toContain('docs/getting-started.md')
    expect(files.some((file) => file.startsWith('docs/api/'))).toBe(false)
    expect(commands.length).toBeGreaterThan(50)
    const outside = documentationFiles(root).map((path) => relative(root, path)).filter((file) => !files.includes(file))
    if (outside.length > 0) console.log(`Not checked (a README outside README.md, packages/*, examples/* and docs/): ${outside.join(', ')}`)
  })

  it('by .ci/run, a script it calls, or a test, unless deliberately not run', () => {
    const rows = commands.map((command) => ({ command, coverage: coverageOf(command, root) }))
    const byFile = new Map<string, string[]>()
    for (const { command, coverage } of rows) {
      const how =
        coverage.kind === 'ci' ? `verbatim in ${coverage.by}` : coverage.kind === 'runner' ? `${coverage.partOf ? 'part of a command ' : ''}run by ${coverage.by}` : coverage.kind === 'not-run' ? 'not run (listed)' : 'NOT COVERED'
      byFile.set(command.file, [...(byFile.get(command.file) ?? []), `  ${String(command.line).padStart(4)}  ${how.padEnd(72)} ${command.text.slice(0, 90)}`])
    }
    console.log(`README commands and what runs them:\n${[...byFile].map(([file, lines]) => `${file}\n${lines.join('\n')}`).join('\n')}`)
    const uncovered = rows
      .filter((row) => row.coverage.kind === 'uncovered')
      .map(({ command }) => `${command.file}:${command.line}: ${command.text}`)
    expect(
      uncovered,
      'Run these from .ci/run (verbatim), from a runner in docs/test/shell-commands.ts (RUNNERS), or list them with a reason in NOT_RUN_IN_CI',
    ).toEqual([])
  })

  it('keeps the list of commands that are not run short, current and explained', () => {
    console.log(`Shown but deliberately not run in CI:\n${NOT_RUN_IN_CI.map((entry) => `  ${entry.file}: ${entry.command}\n      ${entry.reason}`).join('\n')}`)
    expect(NOT_RUN_IN_CI.length).toBeLessThanOrEqual(10)
    const stale = NOT_RUN_IN_CI.filter((entry) => !commands.some((command) => command.file === entry.file && command.text === normalise(entry.command)))
    expect(stale.map((entry) => `${entry.file}: ${entry.command}`), 'entries that match no README command any more').toEqual([])
    for (const entry of NOT_RUN_IN_CI) expect(entry.reason.length).toBeGreaterThan(20)
  })

  it('the runners exist, .ci/run calls the scripts, and each test runs its README through the shared selection', () => {
    const scripts = ciScripts(root)
    for (const runner of RUNNERS) {
      expect(existsSync(join(root, runner.by)), runner.by).toBe(true)
      if (runner.by.startsWith('.ci/')) expect(scripts, `.ci/run should call ${runner.by}`).toContain(runner.by)
    }
    const uses = (file: string, text: string) => expect(read(file).includes(text), `${file} should contain ${text}`).toBe(true)
    uses('.ci/readme-commands.sh', 'node --import tsx .ci/readme-commands.ts')
    uses('.ci/readme-commands.ts', "const BY = '.ci/readme-commands.sh'")
    uses('.ci/readme-commands.ts', "runnerCommands(root, BY, 'README.md')")
    uses('.ci/readme-commands.ts', 'allCommands(root).filter(isInstallLine)')
    uses('.ci/readme-commands.ts', "const file = 'docs/getting-started.md'")
    for (const name of ['stream-express', 'agora-calling-fastify', 'twilio-appointments-express']) {
      uses(`examples/${name}/test/readme-walkthrough.test.ts`, `runExampleReadme('${name}'`)
    }
    uses('examples/edge-worker/test/readme-walkthrough.test.ts', 'runnerCommands(root, BY, README)')
    uses('docs/test/example-walkthrough.ts', 'runnerCommands(root, `examples/${name}/test/readme-walkthrough.test.ts`, file)')
    uses('docs/test/package-readme-curl.test.ts', 'runnerCommands(root, BY, file)')
  })

  it('.ci/run still defines what its placeholders assume, and runs the test command README.md gives', () => {
    const run = read('.ci/run')
    for (const placeholder of CI_PLACEHOLDERS) expect(run, placeholder.rule).toContain(placeholder.definition)
    console.log(`A line of .ci/run counts as a README command after these rules:\n${CI_PLACEHOLDERS.map((p) => `  - ${p.rule}`).join('\n')}`)
    expect(run).toContain("awk '/<!-- test-command -->/")
    expect(run).toContain('bash -c "$test_command"')
  })
})

describe('reading shell blocks', () => {
  const markdown = [
    '## Try',
    '<!-- demo-command -->',
    '```sh',
    'export A=1   # a note, not an answer',
    'curl -s http://x/a \\',
    "  -d '{\"k\": \"# not a comment\"}'",
    '# 422 {"success":false,"code":"ERR_X","expiresAt":"2026-01-01T00:00:00Z",',
    '#  "token":"eyJ…"}',
    '',
    '# a note about the next one',
    'curl -s http://x/b   # 403 {"error":"no"}',
    'curl -s -i http://x/c',
    '```',
    '',
    '```json',
    '{ "a": 1 }',
    '```',
    '',
    '`server.ts`:',
    '',
    '```ts',
    'listen(3000)',
    '```',
  ].join('\n')

  it('joins continued lines, drops trailing comments, and keeps the answer the README shows under a command', () => {
    const commands = commandsOf('x.md', markdown)
    expect(commands.map((c) => [c.line, c.text, c.marker, c.section])).toEqual([
      [4, 'export A=1', 'demo-command', 'Try'],
      [5, "curl -s http://x/a -d '{\"k\": \"# not a comment\"}'", 'demo-command', 'Try'],
      [11, 'curl -s http://x/b', 'demo-command', 'Try'],
      [12, 'curl -s -i http://x/c', 'demo-command', 'Try'],
    ])
    expect(commands[1]!.raw).toBe("curl -s http://x/a \\\n  -d '{\"k\": \"# not a comment\"}'")
    expect(expectationOf(commands[0]!.expected)).toEqual({ keys: [], pairs: [] })
    expect(expectationOf(commands[1]!.expected)).toEqual({
      status: 422,
      keys: ['success', 'code', 'expiresAt', 'token'],
      pairs: ['success=false', 'code="ERR_X"'],
    })
    expect(expectationOf(commands[2]!.expected)).toMatchObject({ status: 403, pairs: ['error="no"'] })
    // An output block right under a shell block is what its last command prints.
    expect(expectationOf(commands[3]!.expected)).toMatchObject({ keys: ['a'], pairs: ['a=1'] })
    expect(readmeSteps('x.md', markdown).at(-1)).toEqual({ kind: 'file', file: { file: 'x.md', line: 21, name: 'server.ts', content: 'listen(3000)\n' } })
  })

  it('reads prose answers and inspected objects', () => {
    expect(expectationOf('401 with WWW-Authenticate: Bearer error="invalid_token"')).toEqual({
      status: 401,
      keys: [],
      pairs: [],
      contains: 'WWW-Authenticate: Bearer error="invalid_token"',
    })
    expect(expectationOf('200, new access_token and expires_at')).toEqual({ status: 200, keys: [], pairs: [] })
    expect(expectationOf("{\n  kind: 'call',\n  issuedAt: 2026-12-01T13:29:41.000Z,\n  connect: { apiKey: 'demo' }\n}")).toEqual({
      keys: ['kind', 'issuedAt', 'connect', 'apiKey'],
      pairs: ['kind="call"', 'apiKey="demo"'],
    })
    expect(expectationOf('1 hour')).toEqual({ keys: [], pairs: [] })
  })

  it('splits a line of .ci/run into the commands it joins', () => {
    expect(segments('as_root apt-get install -y x || { as_root apt-get update && as_root apt-get install -y x; }')).toEqual([
      'as_root apt-get install -y x',
      'as_root apt-get update',
      'as_root apt-get install -y x',
    ])
    expect(segments('A=$(ls | sort; echo) && b "c && d"')).toEqual(['A=$(ls | sort; echo)', 'b "c && d"'])
  })
})
