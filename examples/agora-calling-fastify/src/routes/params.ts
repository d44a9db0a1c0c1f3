import { notFound } from '../errors.ts'

/** `:callId` and `:userId` as positive integers; anything else names no call (404), never reaching SQL. */
export function idParam(params: unknown, name: 'callId' | 'userId', what: string): number {
  const value = (params as Record<string, string | undefined>)[name] ?? ''
  if (!/^[1-9][0-9]{0,14}$/.test(value)) throw notFound(`${what} not found`)
  return Number(value)
}
