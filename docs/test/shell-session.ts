// Runs README commands, taken from the README when it runs, in order in one bash session, and checks each answer
// against what the README shows.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expectationOf, pairsOf, type ReadmeStep, type ShellCommand } from './shell-commands'

/** A change a runner makes to the README's text before running it: a port, a URL. */
export interface Substitution {
  readonly from: string
  readonly to: string
}

export interface SessionOptions {
  /** Where the session starts (`cd` in a command moves it, as in a terminal). */
  readonly cwd: string
  /** The whole environment of the session. */
  readonly env: Readonly<Record<string, string>>
  /** Applied to every command and file; each must change at least one of them, so a changed README fails loudly. */
  readonly substitutions?: readonly Substitution[]
  /** A command that keeps running (a server): started in the background; the session goes on once `readyUrl` answers. */
  readonly background?: { readonly matches: (command: ShellCommand) => boolean; readonly readyUrl: string }
  readonly timeoutMs?: number
}

export interface CommandResult {
  readonly command: ShellCommand
  /** What ran: the README's lines with the substitutions made. */
  readonly ran: string
  /** Exit status; null when the session ended before it. */
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  /** The HTTP status of every answer curl got, in order. */
  readonly statuses: readonly number[]
}

export interface SessionResult {
  readonly results: readonly CommandResult[]
  /** One line per failed command or expectation, with what it printed. */
  readonly problems: readonly string[]
}

const STATUS_MARK = '@@readme-curl-status'
const HEREDOC = '__CALLTOKEN_README_FILE__'

/** True when `curl` runs here. */
export const hasCurl = () => spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`

function substitute(text: string, substitutions: readonly Substitution[], used: Set<Substitution>): string {
  let out = text
  for (const s of substitutions) {
    if (out.includes(s.from)) {
      used.add(s)
      out = out.split(s.from).join(s.to)
    }
  }
  return out
}

/** A curl command: `curl` as a command word anywhere in it. */
export const isCurl = (command: ShellCommand) => /(^|[\s;&|(])curl\s/.test(command.text)

/** What the README says the command answers, checked against what it did. */
export function checkResult(result: CommandResult): string[] {
  const where = `${result.command.file}:${result.command.line}`
  const problems: string[] = []
  const show = () =>
    `\n    $ ${result.ran.replace(/\n/g, '\n      ')}\n    stdout: ${result.stdout.trim().slice(-1500) || '(nothing)'}\n    stderr: ${result.stderr.replace(new RegExp(`${STATUS_MARK} \\d+\\n?`, 'g'), '').trim().slice(-1500) || '(nothing)'}`
  if (result.code === null) return [`${where}: did not run (the session ended before it)`]
  if (result.code !== 0) return [`${where}: exited with ${result.code}${show()}`]
  const expectation = expectationOf(result.command.expected)
  if (isCurl(result.command)) {
    const status = result.statuses[result.statuses.length - 1]
    if (status === undefined) problems.push(`${where}: curl reported no HTTP answer`)
    else if (expectation.status !== undefined ? status !== expectation.status : status < 200 || status > 299) {
      problems.push(`${where}: answered ${status}, the README shows ${expectation.status ?? 'a success (2xx)'}`)
    }
  }
  const actual = pairsOf(result.stdout)
  const missingKeys = expectation.keys.filter((key) => !actual.keys.has(key))
  if (missingKeys.length > 0) problems.push(`${where}: the answer lacks ${missingKeys.map((k) => `"${k}"`).join(', ')}, which the README shows`)
  const wrong = expectation.pairs.filter((pair) => !actual.pairs.has(pair) && actual.keys.has(pair.slice(0, pair.indexOf('='))))
  if (wrong.length > 0) problems.push(`${where}: the answer has no ${wrong.join(', ')}, which the README shows`)
  if (expectation.contains && !result.stdout.toLowerCase().includes(expectation.contains.toLowerCase())) {
    problems.push(`${where}: the answer does not contain ${JSON.stringify(expectation.contains)}`)
  }
  return problems.length > 0 ? [...problems.slice(0, -1), `${problems[problems.length - 1]}${show()}`] : []
}

/**
 * Runs the steps (commands, and files the README asks the reader to write) in order in one bash session. Each
 * command runs exactly as the README gives it (after the substitutions), in the session's shell, so variables and
 * `cd` carry over. curl reads a .curlrc that makes it write each answer's status on stderr; nothing else changes.
 * The session stops at the first command that fails. Background commands are stopped at the end, process group and all.
 */
export async function runSession(steps: readonly ReadmeStep[], options: SessionOptions): Promise<SessionResult> {
  const work = mkdtempSync(join(tmpdir(), 'calltoken-readme-session-'))
  const out = join(work, 'out')
  const used = new Set<Substitution>()
  const substitutions = options.substitutions ?? []
  writeFileSync(join(work, '.curlrc'), `write-out = "%{stderr}${STATUS_MARK} %{http_code}\\n"\n`)
  const script: string[] = [
    `mkdir -p ${quote(out)}`,
    `__out=${quote(out)}`,
    '__stop_background() {',
    '  [ -f "$__out/background" ] || return 0',
    '  for __p in $(cat "$__out/background"); do kill -TERM -- "-$__p" 2>/dev/null; done',
    '  for __i in $(seq 1 100); do __alive=; for __p in $(cat "$__out/background"); do kill -0 -- "-$__p" 2>/dev/null && __alive=1; done; [ -z "$__alive" ] && return 0; sleep 0.1; done',
    '  for __p in $(cat "$__out/background"); do kill -KILL -- "-$__p" 2>/dev/null; done',
    '}',
    'trap __stop_background EXIT',
    `cd ${quote(options.cwd)}`,
  ]
  const commands: { command: ShellCommand; ran: string }[] = []
  for (const step of steps) {
    if (step.kind === 'file') {
      const content = substitute(step.file.content, substitutions, used)
      if (content.includes(HEREDOC)) throw new Error(`${step.file.file}:${step.file.line}: the file contains ${HEREDOC}`)
      script.push(`cat > ${quote(step.file.name)} <<'${HEREDOC}'`, content.replace(/\n$/, ''), HEREDOC, `[ $? = 0 ] || exit 1`)
      continue
    }
    const i = commands.length
    const ran = substitute(step.command.raw, substitutions, used)
    commands.push({ command: step.command, ran })
    const files = `>"$__out/${i}.out" 2>"$__out/${i}.err"`
    script.push(`# ${step.command.file}:${step.command.line}`)
    if (options.background?.matches(step.command)) {
      const ready = options.background.readyUrl
      script.push(
        'set -m', // a process group of its own, so it can be stopped whole
        `{ ${ran}`,
        `} ${files} &`,
        '__pid=$!',
        'set +m',
        'echo "$__pid" >>"$__out/background"',
        `for __i in $(seq 1 600); do curl -qs -o /dev/null ${quote(ready)} && break; kill -0 "$__pid" 2>/dev/null || break; sleep 0.2; done`,
        `curl -qs -o /dev/null ${quote(ready)}; echo $? >"$__out/${i}.rc"`,
      )
    } else {
      script.push(`{ ${ran}`, `} ${files}`, `echo $? >"$__out/${i}.rc"`)
    }
    script.push(`[ "$(cat "$__out/${i}.rc")" = 0 ] || exit 1`)
  }
  const unused = substitutions.filter((s) => !used.has(s))
  if (unused.length > 0) {
    rmSync(work, { recursive: true, force: true })
    throw new Error(`The README no longer contains ${unused.map((s) => JSON.stringify(s.from)).join(', ')}: update the runner's substitutions`)
  }
  writeFileSync(join(work, 'session.sh'), `${script.join('\n')}\n`)

  let sessionOutput = ''
  try {
    const child = spawn('bash', [join(work, 'session.sh')], {
      cwd: options.cwd,
      env: { ...options.env, CURL_HOME: work },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    child.stdout.on('data', (chunk: Buffer) => (sessionOutput += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (sessionOutput += chunk.toString()))
    const timeoutMs = options.timeoutMs ?? 300_000
    const timer = setTimeout(() => {
      sessionOutput += `\n(session timed out after ${timeoutMs / 1000} s)`
      killGroups(child.pid, out)
    }, timeoutMs)
    await new Promise<void>((resolve) => child.once('close', () => resolve()))
    clearTimeout(timer)
    killGroups(undefined, out) // anything the session's own trap could not stop
    const results: CommandResult[] = commands.map(({ command, ran }, i) => {
      const read = (ext: string) => (existsSync(join(out, `${i}.${ext}`)) ? readFileSync(join(out, `${i}.${ext}`), 'utf8') : '')
      const rc = read('rc').trim()
      const stderr = read('err')
      return {
        command,
        ran,
        code: rc === '' ? null : Number(rc),
        stdout: read('out'),
        stderr,
        statuses: [...stderr.matchAll(new RegExp(`${STATUS_MARK} (\\d+)`, 'g'))].map((m) => Number(m[1])),
      }
    })
    const problems = results.flatMap(checkResult)
    if (problems.length > 0 && sessionOutput.trim()) problems.push(`the session printed: ${sessionOutput.trim().slice(-2000)}`)
    return { results, problems }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

function killGroups(sessionPid: number | undefined, out: string) {
  const pids = existsSync(join(out, 'background')) ? readFileSync(join(out, 'background'), 'utf8').split(/\s+/).filter(Boolean).map(Number) : []
  for (const pid of [...(sessionPid ? [sessionPid] : []), ...pids]) {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}
