// The `calltoken` executable: the process's arguments, streams and clock for run().
import type { Io } from './output'
import { run } from './run'

async function readStdin(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

const argv = process.argv.slice(2)
const io: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  color: process.stdout.isTTY === true && process.env.NO_COLOR === undefined && !argv.includes('--no-color'),
  env: process.env,
  nowMs: Date.now(),
  stdin: readStdin,
}
run(argv, io).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`calltoken: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  },
)
