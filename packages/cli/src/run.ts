import { isCallTokenError } from '@calltoken/core'
import { has, parseArgs, UsageError } from './args'
import { decode, mint, verify, webhookVerify } from './commands'
import { HELP } from './help'
import { red, type Io } from './output'

/** Runs one command line; the exit code is the result. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    const args = parseArgs(argv)
    const [command, ...rest] = args.positionals
    const sub = { ...args, positionals: rest }
    if (command === undefined || (command === 'help' && rest.length === 0)) {
      io.out(HELP.main!)
      return command === undefined && !has(args, 'help') ? 2 : 0
    }
    if (command === 'webhook') {
      if (has(args, 'help') || rest[0] !== 'verify') {
        io.out(HELP.webhook!)
        return has(args, 'help') ? 0 : 2
      }
      return await webhookVerify({ ...sub, positionals: rest.slice(1) }, io)
    }
    const commands = { decode, verify, mint } as const
    if (!(command in commands)) throw new UsageError(`unknown command "${command}"`)
    if (has(args, 'help')) {
      io.out(HELP[command]!)
      return 0
    }
    return await commands[command as keyof typeof commands](sub, io)
  } catch (error) {
    // A credential the adapter refuses (missing, a placeholder, too short) is a usage error too; its message shows no value.
    const usage = error instanceof UsageError || (isCallTokenError(error) && error.code === 'ERR_CALLTOKEN_INVALID_CONFIG')
    if (!usage) throw error
    io.err(red(io, `calltoken: ${(error as Error).message}`))
    io.err('Run calltoken --help for the commands, or calltoken <command> --help.')
    return 2
  }
}
