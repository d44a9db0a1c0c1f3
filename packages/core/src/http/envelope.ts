import type { CallTokenError } from '../errors'
import type { IssuedToken } from '../service'
import type { TokenHttpResponse } from './types'

// Tokens are credentials: no cache, proxy or browser may keep a copy.
const NO_STORE = { 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' } as const

/** 200 `{ success: true, data: { token, userId, …, expiresAt, ...connect } }` (seeds 000 and 001). */
export function tokenResponse(issued: IssuedToken): TokenHttpResponse {
  const { token, userId, callId, callType, role, validityInSeconds, expiresAt, connect } = issued
  const data = {
    token,
    userId,
    ...(callId === undefined ? {} : { callId }),
    ...(callType === undefined ? {} : { callType }),
    ...(role === undefined ? {} : { role }),
    validityInSeconds,
    expiresAt: expiresAt.toISOString(),
    ...(connect as object),
  }
  return { status: 200, headers: NO_STORE, body: { success: true, data } }
}

/** `{ success: false, error, code, issues? }` with the error's status. */
export function errorResponse(error: CallTokenError, extraHeaders: Readonly<Record<string, string>> = {}): TokenHttpResponse {
  return {
    status: error.status,
    headers: { ...NO_STORE, ...extraHeaders },
    body: {
      success: false,
      error: error.message,
      code: error.code,
      ...(error.issues ? { issues: error.issues } : {}),
    },
  }
}
