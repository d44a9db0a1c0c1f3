import type { TokenReport } from './report'
import { relative } from './report'

/** Where a command writes, and whether it may use colour (a TTY without NO_COLOR). */
export interface Io {
  out(line: string): void
  err(line: string): void
  readonly color: boolean
  readonly env: NodeJS.ProcessEnv
  readonly nowMs: number
  /** Everything on stdin, or undefined when it is a terminal. */
  stdin(): Promise<string | undefined>
}

const paint = (io: Io, code: number, text: string) => (io.color ? `\u001b[${code}m${text}\u001b[0m` : text)
export const bold = (io: Io, text: string) => paint(io, 1, text)
export const red = (io: Io, text: string) => paint(io, 31, text)
export const yellow = (io: Io, text: string) => paint(io, 33, text)
export const green = (io: Io, text: string) => paint(io, 32, text)

const when = (seconds: number, nowSeconds: number) => `${new Date(seconds * 1000).toLocaleString()} (${relative(seconds - nowSeconds)})`

/** A token report as lines for a person. */
export function printReport(io: Io, report: TokenReport): void {
  const now = Math.floor(io.nowMs / 1000)
  io.out(`${bold(io, 'provider')}  ${report.provider}`)
  if (report.userId !== undefined) io.out(`${bold(io, 'user')}      ${report.userId}`)
  if (report.callId !== undefined) io.out(`${bold(io, 'call')}      ${report.callType === undefined ? '' : `${report.callType}:`}${report.callId}`)
  if (report.role !== undefined) io.out(`${bold(io, 'role')}      ${report.role}`)
  if (report.issuedAt !== undefined) io.out(`${bold(io, 'issued')}    ${when(report.issuedAt, now)}`)
  if (report.expiresAt !== undefined) io.out(`${bold(io, 'expires')}   ${when(report.expiresAt, now)}`)
  if (report.header) io.out(`${bold(io, 'header')}    ${JSON.stringify(report.header)}`)
  io.out(`${bold(io, 'claims')}    ${JSON.stringify(report.claims)}`)
  for (const warning of report.warnings) io.out(yellow(io, `warning: ${warning}`))
}
