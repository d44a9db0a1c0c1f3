/** The command line as positionals and flags; flags may come before or after the positionals. */
export interface Args {
  readonly positionals: string[]
  /** Each flag's values, in order (a repeated flag such as --header has several). */
  readonly flags: ReadonlyMap<string, string[]>
}

/** Flags that take no value. */
const BOOLEAN_FLAGS = new Set(['json', 'help', 'no-color'])

/** `--name value`, `--name=value`, `-h` for help; `--` ends the flags. */
export function parseArgs(argv: readonly string[]): Args {
  const positionals: string[] = []
  const flags = new Map<string, string[]>()
  const add = (name: string, value: string) => flags.set(name, [...(flags.get(name) ?? []), value])
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    if (arg === '-h') add('help', 'true')
    else if (arg.startsWith('--')) {
      const equals = arg.indexOf('=')
      const name = equals === -1 ? arg.slice(2) : arg.slice(2, equals)
      if (equals !== -1) add(name, arg.slice(equals + 1))
      else if (BOOLEAN_FLAGS.has(name)) add(name, 'true')
      else {
        const value = argv[i + 1]
        if (value === undefined) throw new UsageError(`--${name} needs a value`)
        add(name, value)
        i++
      }
    } else positionals.push(arg)
  }
  return { positionals, flags }
}

export const flag = (args: Args, name: string): string | undefined => args.flags.get(name)?.at(-1)
export const has = (args: Args, name: string): boolean => args.flags.has(name)

/** A mistake in how the command was called: exit code 2, with the message and a pointer to --help. */
export class UsageError extends Error {}

/** Seconds from `3600`, `45s`, `90m`, `2h` or `1d`. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(s|m|h|d)?$/.exec(text.trim())
  if (!match) throw new UsageError(`"${text}" is not a duration: use seconds (3600) or 45s, 90m, 2h, 1d`)
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[(match[2] ?? 's') as 's' | 'm' | 'h' | 'd']
}
