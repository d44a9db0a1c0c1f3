// Every shell command a README gives, and what runs it. shell-commands.test.ts fails for a command nothing runs.
import { existsSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { documentationFiles } from './snippets'

/** One command of a ```sh / ```bash / ```shell block: a line, or several joined by a trailing `\`. */
export interface ShellCommand {
  /** The README, relative to the repository root. */
  readonly file: string
  /** 1-based line of the command's first line. */
  readonly line: number
  /** The command's lines exactly as the README has them (block indentation removed): what a runner executes. */
  readonly raw: string
  /** One line, whitespace collapsed, `\`-newlines joined, a trailing `# …` comment dropped: what is compared. */
  readonly text: string
  /**
   * What the README says the command answers: a trailing `# …` on its line, the `# …` lines right under it (no
   * blank line between), or a plain / json output block right after its block when it is the block's last command.
   * Empty when the README shows nothing. A comment that is not an answer (`# 1 hour`) is kept here too; see
   * {@link expectationOf} for how it is read.
   */
  readonly expected: string
  /** The nearest `##`/`###` heading above the block. */
  readonly section: string
  /** `<!-- name -->` on the line before the block, if any (e.g. `test-command`). */
  readonly marker?: string
  /** Index of the command's block among the file's shell blocks. */
  readonly block: number
}

/**
 * A file the README asks the reader to create: a code block right after a line that ends in a colon and names one
 * file (`` `server.ts`: ``, or "For this test, `session-token.ts` signs one:").
 */
export interface ReadmeFile {
  readonly file: string
  readonly line: number
  readonly name: string
  readonly content: string
}

/** Commands and files of one README in document order (files and commands interleaved as the reader meets them). */
export type ReadmeStep = { readonly kind: 'command'; readonly command: ShellCommand } | { readonly kind: 'file'; readonly file: ReadmeFile }

const SHELL = /^(sh|bash|shell)$/
const OUTPUT = /^(|json|text|console|output)$/
const FENCE = /^(\s*)```([\w-]*)\s*$/

/** Collapses whitespace: what two commands are compared by. */
export const normalise = (command: string) => command.replace(/\s+/g, ' ').trim()

/** Index of a `#` that starts a comment (outside quotes, after whitespace), or -1. */
function commentStart(line: string): number {
  let quote: string | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quote) {
      if (c === '\\' && quote === '"') i++
      else if (c === quote) quote = undefined
    } else if (c === '\\') i++
    else if (c === "'" || c === '"') quote = c
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return i
  }
  return -1
}

/** Every shell command and named file of a Markdown text, in document order. */
export function readmeSteps(file: string, markdown: string): ReadmeStep[] {
  const lines = markdown.split('\n')
  const steps: ReadmeStep[] = []
  let section = ''
  let block = -1
  // The last command of the last shell block, while only blank lines follow that block.
  let lastOfBlock: { index: number } | undefined
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const heading = /^#{2,3}\s+(.*)$/.exec(line)
    if (heading) section = heading[1]!.trim()
    const fence = FENCE.exec(line)
    if (!fence) {
      if (line.trim() !== '') lastOfBlock = undefined
      continue
    }
    const indent = fence[1]!.length
    const lang = fence[2]!
    const start = i
    const body: string[] = []
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]!); i++) body.push(lines[i]!.slice(Math.min(indent, lines[i]!.search(/\S|$/))))
    let previous = start - 1
    while (previous >= 0 && lines[previous]!.trim() === '') previous--
    const before = previous >= 0 ? lines[previous]!.trim() : ''

    if (OUTPUT.test(lang) && lastOfBlock) {
      // An output block right under a shell block: what its last command prints.
      const step = steps[lastOfBlock.index]!
      if (step.kind === 'command' && step.command.expected === '') {
        steps[lastOfBlock.index] = { kind: 'command', command: { ...step.command, expected: body.join('\n') } }
      }
      lastOfBlock = undefined
      continue
    }
    lastOfBlock = undefined
    // `server.ts`: — or a sentence naming one file and ending in a colon: "For this test, `session-token.ts` signs one:".
    const names = before.endsWith(':') ? [...before.matchAll(/`([\w./-]+\.(?:ts|tsx|mts|cts|js|mjs|cjs|json|env|sh|ya?ml|html|css|sql))`/g)].map((m) => m[1]!) : []
    const named = names.length === 1 ? [before, names[0]!] : null
    if (named && !SHELL.test(lang)) {
      steps.push({ kind: 'file', file: { file, line: start + 1, name: named[1]!, content: `${body.join('\n')}\n` } })
      continue
    }
    if (!SHELL.test(lang)) continue

    block++
    const marker = /^<!--\s*([\w-]+)\s*-->$/.exec(before)?.[1]
    let current: { index: number; blankSince: boolean } | undefined
    for (let j = 0; j < body.length; j++) {
      const text = body[j]!
      if (text.trim() === '') {
        if (current) current.blankSince = true
        continue
      }
      if (text.trim().startsWith('#')) {
        const step = current && !current.blankSince ? steps[current.index] : undefined
        if (step?.kind === 'command') {
          const comment = text.trim().replace(/^#\s?/, '')
          steps[current!.index] = { kind: 'command', command: { ...step.command, expected: step.command.expected ? `${step.command.expected}\n${comment}` : comment } }
        }
        continue
      }
      const first = j
      const rawLines = [text]
      while (/\\$/.test(rawLines[rawLines.length - 1]!) && j + 1 < body.length) rawLines.push(body[++j]!)
      const last = rawLines[rawLines.length - 1]!
      const hash = commentStart(last)
      const comment = hash >= 0 ? last.slice(hash + 1).trim() : ''
      const code = [...rawLines.slice(0, -1).map((l) => l.replace(/\\$/, '')), hash >= 0 ? last.slice(0, hash) : last].join(' ')
      steps.push({
        kind: 'command',
        command: { file, line: start + 2 + first, raw: rawLines.join('\n'), text: normalise(code), expected: comment, section, block, ...(marker ? { marker } : {}) },
      })
      current = { index: steps.length - 1, blankSince: false }
    }
    lastOfBlock = current ? { index: current.index } : undefined
  }
  return steps
}

/** The commands of a README, in order. */
export const commandsOf = (file: string, markdown: string): ShellCommand[] =>
  readmeSteps(file, markdown).flatMap((step) => (step.kind === 'command' ? [step.command] : []))

/**
 * The READMEs whose commands must run: README.md, packages/<name>/README.md, examples/<name>/README.md and
 * docs/**\/*.md except the generated API reference (docs/api). Relative paths.
 */
export function readmes(root: string): string[] {
  return documentationFiles(root)
    .map((path) => relative(root, path))
    .filter((file) => file === 'README.md' || /^(packages|examples)\/[^/]+\/README\.md$/.test(file) || (file.startsWith('docs/') && !file.startsWith('docs/api/')))
}

export const readmeText = (root: string, file: string) => readFileSync(join(root, file), 'utf8')

/** Every command of every README. */
export const allCommands = (root: string): ShellCommand[] => readmes(root).flatMap((file) => commandsOf(file, readmeText(root, file)))

// ---------------------------------------------------------------------------------------------------------------
// (a) Verbatim in .ci/run or a script it calls.

/**
 * How a line of .ci/run reads as a README command. Each rule holds because .ci/run defines it so; the test checks
 * that the definitions are still there.
 */
export const CI_PLACEHOLDERS: readonly { readonly definition: string; readonly rule: string; apply(line: string): string }[] = [
  {
    definition: 'pnpm() { npx -y pnpm@10.34.9 "$@"; }',
    rule: '`pnpm …` in .ci/run is `npx -y pnpm@10.34.9 …` (the function .ci/run defines)',
    apply: (line) => line.replace(/(^|[;&|{(]\s*|\bthen\s+)pnpm /g, '$1npx -y pnpm@10.34.9 '),
  },
  {
    definition: 'as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }',
    rule: '`as_root …` in .ci/run is `…` run as root (the README: "as root, or prefix each command with sudo")',
    apply: (line) => line.replace(/(^|[;&|{(]\s*)as_root /g, '$1'),
  },
  {
    definition: 'DEBIAN_FRONTEND=noninteractive apt-get install -y',
    rule: '`env DEBIAN_FRONTEND=noninteractive ` before apt-get only stops apt from asking questions: dropped',
    apply: (line) => line.replace(/\benv DEBIAN_FRONTEND=noninteractive /g, ''),
  },
]

/** Splits a line into the commands `&&`, `||` and `;` join (outside quotes), braces and `if !`/`then` removed. */
export function segments(line: string): string[] {
  const parts: string[] = []
  let quote: string | undefined
  let depth = 0
  let start = 0
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quote) {
      if (c === '\\' && quote === '"') i++
      else if (c === quote) quote = undefined
      continue
    }
    if (c === "'" || c === '"') quote = c
    else if (c === '(') depth++
    else if (c === ')') depth--
    else if (depth === 0 && (line.startsWith('&&', i) || line.startsWith('||', i) || c === ';')) {
      parts.push(line.slice(start, i))
      i += c === ';' ? 0 : 1
      start = i + 1
    }
  }
  parts.push(line.slice(start))
  return parts
    .map((part) => normalise(part).replace(/^[{}]\s*|\s*[{}]$/g, '').replace(/^(if !|if|then|else|!)\s+/, '').trim())
    .filter((part) => part !== '')
}

/** The scripts .ci/run calls: `.ci/<name>` paths written in it. */
export function ciScripts(root: string): string[] {
  const run = readFileSync(join(root, '.ci/run'), 'utf8')
  return ['.ci/run', ...new Set([...run.matchAll(/\.ci\/[\w.-]+/g)].map((m) => m[0]).filter((path) => path !== '.ci/run' && existsSync(join(root, path))))]
}

/** Every command line of .ci/run and the scripts it calls, and each command such a line joins, as README text. */
export function ciCommands(root: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const script of ciScripts(root)) {
    const lines = readFileSync(join(root, script), 'utf8').split('\n')
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i]!
      while (/\\$/.test(line) && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]!}`
      const hash = commentStart(line)
      if (hash >= 0) line = line.slice(0, hash)
      for (const placeholder of CI_PLACEHOLDERS) line = placeholder.apply(line.trim())
      for (const command of [normalise(line), ...segments(line)]) if (command && !found.has(command)) found.set(command, script)
    }
  }
  return found
}

// ---------------------------------------------------------------------------------------------------------------
// (c) Shown, deliberately not run in CI.

export interface NotRun {
  readonly file: string
  readonly command: string
  readonly reason: string
}

const SUITE_PROJECT =
  'one project of the suite the test command already runs whole (under .ci/run, with TEST_DATABASE_URL exported); running it again inside that suite would run those tests twice'

export const NOT_RUN_IN_CI: readonly NotRun[] = [
  {
    file: 'README.md',
    command: 'npx -y pnpm@10.34.9 bench',
    reason: 'the full benchmarks take about 6 minutes; .ci/run runs their quick pass (BENCH_QUICK=1 pnpm --filter @calltoken/bench start), and speed never fails CI',
  },
  { file: 'README.md', command: 'npx -y pnpm@10.34.9 changeset', reason: 'interactive: asks which packages changed and how, then writes a file under .changeset/' },
  { file: 'examples/stream-express/README.md', command: 'npx vitest run --project example-stream-express', reason: SUITE_PROJECT },
  {
    file: 'examples/stream-express/README.md',
    command: 'TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run --project example-stream-express',
    reason: SUITE_PROJECT,
  },
  { file: 'examples/agora-calling-fastify/README.md', command: 'npx vitest run --project example-agora-calling-fastify', reason: SUITE_PROJECT },
  {
    file: 'examples/agora-calling-fastify/README.md',
    command: 'TEST_DATABASE_URL=postgres://USER@127.0.0.1:5432/DB npx vitest run --project example-agora-calling-fastify',
    reason: SUITE_PROJECT,
  },
  { file: 'examples/twilio-appointments-express/README.md', command: 'npx vitest run --project example-twilio-appointments-express', reason: SUITE_PROJECT },
  {
    file: 'examples/twilio-appointments-express/README.md',
    command: 'TEST_DATABASE_URL=postgres://user:password@127.0.0.1:5432/db npx vitest run --project example-twilio-appointments-express',
    reason: SUITE_PROJECT,
  },
  {
    file: 'examples/edge-worker/README.md',
    command: 'npx wrangler deploy --secrets-file .prod.vars',
    reason:
      "uploads the Worker to Cloudflare: needs a Cloudflare account and its API token. Its build is checked by the README's test (`wrangler deploy --dry-run`: the bundle, no Node built-in, no nodejs_compat warning)",
  },
  {
    file: 'examples/twilio-appointments-express/README.md',
    command:
      'curl -X POST https://video.twilio.com/v1/Rooms -u "$TWILIO_API_KEY_SID:$TWILIO_API_KEY_SECRET" --data-urlencode "UniqueName=apt-47-1795601719-42bcc941" --data-urlencode "StatusCallback=https://api.clinic.example/api/appointments/twilio/room-status" --data-urlencode "StatusCallbackMethod=POST"',
    reason: "creates a room through Twilio's REST API: needs a real Twilio account and API key",
  },
]

export const notRun = (command: ShellCommand): NotRun | undefined =>
  NOT_RUN_IN_CI.find((entry) => entry.file === command.file && normalise(entry.command) === command.text)

// ---------------------------------------------------------------------------------------------------------------
// (b) Run by a test or by a script .ci/run calls, which read them from the README when they run.

/** An `npm install` / `npm i` line: run in a fresh npm project against the packed packages by .ci/readme-commands.sh. */
export const isInstallLine = (command: ShellCommand) => /^npm (install|i|add)( |$)/.test(command.text)

export interface Runner {
  /** The test file, or the script .ci/run calls, that runs the commands. */
  readonly by: string
  /** How it runs them, for the printout. */
  readonly how: string
  /** Which commands it runs. The runner selects its commands through this same function, so the two cannot drift. */
  select(command: ShellCommand, root: string): boolean
}

/** The example app READMEs, run top to bottom by a test of the app. */
const exampleRunner = (
  name: string,
  how = "starts the app with the README's own `dev` command (free port, fresh PGlite directory), then runs every other command in order in one bash session, checking each answer against the README",
): Runner => ({
  by: `examples/${name}/test/readme-walkthrough.test.ts`,
  how,
  select: (command, root) => command.file === `examples/${name}/README.md` && !coveredElsewhere(command, root),
})

/** What .ci/run and the script it calls run, chosen by README text alone (markers, sections, the kind of line). */
export const CI_RUNNERS: readonly Runner[] = [
  {
    by: '.ci/run',
    how: 'the test command: .ci/run reads the block under <!-- test-command --> and runs it with bash -c',
    select: (command) => command.file === 'README.md' && command.marker === 'test-command',
  },
  {
    by: '.ci/readme-commands.sh',
    how: 'the demo command: the block under <!-- demo-command -->, run with bash from the repository root',
    select: (command) => command.file === 'README.md' && command.marker === 'demo-command',
  },
  {
    by: '.ci/readme-commands.sh',
    how: 'the block in order: install and build in the repository, pack into a temporary directory (for /tmp/calltoken-packs), then the `cd ../my-app && npm install …` line from a directory next to a fresh npm project named my-app',
    select: (command) => command.file === 'README.md' && command.section === PRE_RELEASE_SECTION,
  },
  {
    by: '.ci/readme-commands.sh',
    how: 'each distinct install line, exactly as written, in a fresh npm project whose @calltoken scope is a local registry serving the packed packages (other packages from npm); then import() and require() of every installed @calltoken package, and npm ls',
    select: isInstallLine,
  },
  {
    by: '.ci/readme-commands.sh',
    how: 'the whole guide in order in one bash session in a temporary directory (the files it names written where it says, the server in the background, a free port for 3000), against the packed packages',
    select: (command) => command.file === 'docs/getting-started.md',
  },
]

export const PRE_RELEASE_SECTION = 'Using the packages before the first release'

export const RUNNERS: readonly Runner[] = [
  ...CI_RUNNERS,
  exampleRunner('stream-express'),
  exampleRunner('agora-calling-fastify'),
  exampleRunner('twilio-appointments-express'),
  exampleRunner(
    'edge-worker',
    "runs every command in order in one bash session with the registry's Node 22 first on PATH: `npx wrangler dev` in the background (a free port), then the token script and the curls, each answer checked against the README",
  ),
  {
    by: 'docs/test/package-readme-curl.test.ts',
    how: "starts the README's usage block (demo credentials, a free port for 3000) and runs its curl against it, checking the answer against the README",
    select: (command) =>
      (command.file === 'packages/express/README.md' || command.file === 'packages/fastify/README.md') && command.text.startsWith('curl '),
  },
]

interface Context {
  readonly commands: readonly ShellCommand[]
  /** Verbatim lines (and the commands they join) of .ci/run and its scripts → the script. */
  readonly ci: Map<string, string>
  /** Each command a CI runner runs, and each command it joins with &&, || or ; → that runner. */
  readonly ciRun: Map<string, Runner>
}

const contexts = new Map<string, Context>()
function context(root: string): Context {
  let found = contexts.get(root)
  if (!found) {
    const commands = allCommands(root)
    const ciRun = new Map<string, Runner>()
    for (const command of commands) {
      const runner = CI_RUNNERS.find((r) => r.select(command, root))
      if (!runner) continue
      for (const part of [command.text, ...segments(command.text)]) if (!ciRun.has(part)) ciRun.set(part, runner)
    }
    found = { commands, ci: ciCommands(root), ciRun }
    contexts.set(root, found)
  }
  return found
}

/**
 * Run by .ci/run without a test's help: verbatim in .ci/run or a script it calls, run (alone or as part of a longer
 * command) by a CI runner, or deliberately not run. A README's own runner skips those and runs everything else.
 */
export function coveredElsewhere(command: ShellCommand, root: string): boolean {
  const { ci, ciRun } = context(root)
  return notRun(command) !== undefined || ci.has(command.text) || ciRun.has(command.text)
}

/** The commands of one README a runner runs, in order. */
export function runnerCommands(root: string, by: string, file: string): ShellCommand[] {
  const runners = RUNNERS.filter((runner) => runner.by === by)
  if (runners.length === 0) throw new Error(`${by} is not a runner in docs/test/shell-commands.ts`)
  return commandsOf(file, readmeText(root, file)).filter((command) => runners.some((runner) => runner.select(command, root)))
}

// ---------------------------------------------------------------------------------------------------------------
// Coverage.

export type Coverage =
  | { readonly kind: 'ci'; readonly by: string }
  | { readonly kind: 'runner'; readonly by: string; readonly how: string; readonly partOf?: boolean }
  | { readonly kind: 'not-run'; readonly reason: string }
  | { readonly kind: 'uncovered' }

export function coverageOf(command: ShellCommand, root: string): Coverage {
  const deliberate = notRun(command)
  if (deliberate) return { kind: 'not-run', reason: deliberate.reason }
  const runner = RUNNERS.find((r) => r.select(command, root))
  if (runner) return { kind: 'runner', by: runner.by, how: runner.how }
  const { ci, ciRun } = context(root)
  const script = ci.get(command.text)
  if (script) return { kind: 'ci', by: script }
  const part = ciRun.get(command.text)
  if (part) return { kind: 'runner', by: part.by, how: part.how, partOf: true }
  return { kind: 'uncovered' }
}

// ---------------------------------------------------------------------------------------------------------------
// What a command's answer should look like, from the README.

export interface Expectation {
  /** The HTTP status the README shows (`# 422 {…}`), if any. */
  readonly status?: number
  /** JSON keys (`"key":`) or inspected keys (`key:`) the answer must have. */
  readonly keys: readonly string[]
  /** Key/value pairs the answer must have, values that change from run to run left out. */
  readonly pairs: readonly string[]
  /** Text the answer must contain (`# 401 with WWW-Authenticate: Bearer error="invalid_token"`). */
  readonly contains?: string
}

/** Keys whose values differ from run to run (times, tokens, random names, durations of the walkthrough). */
export const RUN_DEPENDENT_KEYS = new Set([
  'token', 'refreshToken', 'access_token', 'expiresAt', 'expires_at', 'issuedAt', 'created_at', 'joined_at', 'endedAt',
  'date', 'channelName', 'channel_name', 'room_name', 'roomName', 'callCid', 'oto_number', 'avg_duration', 'averageCallDuration',
  'duration_seconds', 'total_duration_seconds', 'audio_minutes', 'video_minutes', 'totalAudioMinutes', 'totalVideoMinutes',
  'audio_minutes_consumed', 'video_minutes_consumed', 'room_sid',
])

const PAIR = /"([^"\\]+)"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)?|(?<![\w'"])([A-Za-z_]\w*): ('(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?|true|false|null|[\w.:-]+)?/g

/** `key` → every value it has in a JSON or inspected text (undefined for an object, array or truncated value). */
export function pairsOf(text: string): { keys: Set<string>; pairs: Set<string> } {
  const keys = new Set<string>()
  const pairs = new Set<string>()
  for (const match of text.matchAll(PAIR)) {
    const key = match[1] ?? match[3]!
    let value = match[2] ?? match[4]
    keys.add(key)
    if (value === undefined || value.includes('…')) continue
    if (value.startsWith("'")) value = JSON.stringify(value.slice(1, -1).replace(/\\'/g, "'"))
    pairs.add(`${key}=${value}`)
  }
  return { keys, pairs }
}

/** Reads a README's expected output. Comments that are not answers (`# 1 hour`, `# admin`) expect nothing. */
export function expectationOf(expected: string): Expectation {
  const text = expected.trim()
  const status = /^(\d{3})\b[,:]?\s*/.exec(text)
  const rest = status ? text.slice(status[0].length) : text
  if (!status && !/^[[{…"]/.test(rest)) return { keys: [], pairs: [] }
  if (/^with\s/.test(rest)) return { ...(status ? { status: Number(status[1]) } : {}), keys: [], pairs: [], contains: rest.replace(/^with\s+/, '') }
  if (!/^[[{…"]/.test(rest) && !/^\s*[A-Za-z_]\w*: /m.test(rest)) return { ...(status ? { status: Number(status[1]) } : {}), keys: [], pairs: [] }
  const { keys, pairs } = pairsOf(rest)
  return {
    ...(status ? { status: Number(status[1]) } : {}),
    keys: [...keys],
    pairs: [...pairs].filter((pair) => {
      const [key, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]
      return !RUN_DEPENDENT_KEYS.has(key) && !/^"?\d{4}-\d\d-\d\dT/.test(value)
    }),
  }
}
