import { isCallTokenError, type CallTokenError, type CallTokenErrorCode } from '@calltoken/core'
import { expect } from 'vitest'

/**
 * Awaits `action`, expects a CallTokenError with `code`, and returns it (never a token).
 *
 * @example
 * const error = await expectCallTokenError(() => createCallToken({ userId: '' } as never, { provider }), 'ERR_CALLTOKEN_INVALID_INPUT')
 * expect(error.issues?.[0]?.path).toBe('userId')
 */
export async function expectCallTokenError(action: () => unknown, code: CallTokenErrorCode): Promise<CallTokenError> {
  let outcome: unknown
  try {
    outcome = await action()
  } catch (error) {
    expect(isCallTokenError(error), `expected a CallTokenError, got ${String(error)}`).toBe(true)
    expect((error as CallTokenError).code).toBe(code)
    return error as CallTokenError
  }
  throw new Error(`expected ${code}, but it succeeded with ${JSON.stringify(outcome)}`)
}

/**
 * Every string an error exposes: message, issues, cause chain, stack and own enumerable fields.
 *
 * @example
 * expect(errorText(error)).not.toContain(apiSecret)
 */
export function errorText(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    if (current instanceof Error) parts.push(current.message, current.stack ?? '')
    parts.push(JSON.stringify(current) ?? String(current))
    current = current instanceof Error ? current.cause : undefined
  }
  return parts.join('\n')
}

/**
 * Fails when any of `secrets` occurs in what `error` exposes.
 *
 * @example
 * expectNoSecret(await expectCallTokenError(() => acme({ apiKey, apiSecret: 'abc' }), 'ERR_CALLTOKEN_INVALID_CONFIG'), [apiSecret])
 */
export function expectNoSecret(error: unknown, secrets: readonly string[]): void {
  const text = errorText(error)
  for (const secret of secrets) expect(text.includes(secret), 'an error exposed a secret').toBe(false)
}
