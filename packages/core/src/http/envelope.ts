import type { CallTokenError } from '../errors'
import type { IssuedToken } from '../types'

// Tokens are credentials: no cache, proxy or browser may keep a copy. Error answers get the same headers.
export const NO_STORE: Readonly<Record<string, string>> = Object.freeze({
  'cache-control': 'no-store',
  'content-type': 'application/json; charset=utf-8',
})

/**
 * `{ success: true, data: { token, userId, …, expiresAt, refreshToken?, ...connect } }`.
 *
 * @example
 * respond: (issued) => ({ ...(tokenBody(issued) as object), appointmentId: 47 }) // the default answer, plus a field
 */
export function tokenBody(issued: IssuedToken, refreshToken?: string): unknown {
  const { token, userId, callId, callIds, callType, role, validityInSeconds, expiresAt, connect } = issued
  const data = {
    token,
    userId,
    ...(callId === undefined ? {} : { callId }),
    ...(callIds === undefined ? {} : { callIds }),
    ...(callType === undefined ? {} : { callType }),
    ...(role === undefined ? {} : { role }),
    validityInSeconds,
    expiresAt: expiresAt.toISOString(),
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(connect as object),
  }
  return { success: true, data }
}

/**
 * `{ success: false, error, code, issues? }`.
 *
 * @example
 * respondError: (error) => ({ ...(errorBody(error) as object), support: 'https://status.example.com' })
 */
export function errorBody(error: CallTokenError): unknown {
  return { success: false, error: error.message, code: error.code, ...(error.issues ? { issues: error.issues } : {}) }
}
