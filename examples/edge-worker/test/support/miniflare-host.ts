// Serves the bundled Worker in workerd through miniflare, once per configuration, each on its own port of 127.0.0.1.
// miniflare needs Node 22 or later: test/support/workerd.ts runs this file with the registry's Node 22 (which runs
// TypeScript by stripping the types; hence no import of a .ts file here). Usage: node miniflare-host.ts <config.json>.
// Prints {"ready": {name: url}}, then {"log": name, "line": …} for every line a Worker logs; disposes every instance
// and exits when its stdin closes (the test ended, or died).
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { Miniflare } from 'miniflare'

export interface HostConfig {
  /** The bundled Worker: one ES module. */
  readonly script: string
  readonly compatibilityDate: string
  readonly compatibilityFlags: readonly string[]
  /** One Worker per entry: its name and its env (vars and secrets alike are plain-text bindings here). */
  readonly workers: Readonly<Record<string, Readonly<Record<string, string>>>>
}

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as HostConfig
const print = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`)

function forward(name: string, ...streams: Readable[]) {
  for (const stream of streams) createInterface({ input: stream }).on('line', (line) => print({ log: name, line }))
}

const instances = Object.entries(config.workers).map(
  ([name, bindings]) =>
    [
      name,
      new Miniflare({
        modules: [{ type: 'ESModule', path: config.script, contents: readFileSync(config.script, 'utf8') }],
        modulesRoot: dirname(config.script),
        compatibilityDate: config.compatibilityDate,
        compatibilityFlags: [...config.compatibilityFlags],
        bindings: { ...bindings },
        host: '127.0.0.1',
        port: 0,
        handleRuntimeStdio: (stdout: Readable, stderr: Readable) => forward(name, stdout, stderr),
      }),
    ] as const,
)

let disposing: Promise<unknown> | undefined
const dispose = () => (disposing ??= Promise.allSettled(instances.map(([, mf]) => mf.dispose())).then(() => process.exit(0)))
process.stdin.on('end', dispose).resume()
process.on('SIGTERM', dispose)

const urls = await Promise.all(instances.map(async ([name, mf]) => [name, (await mf.ready).href] as const))
print({ ready: Object.fromEntries(urls) })
