import { CallTokenError } from '../errors'

// A registry-wide symbol, so the reason survives two copies of core (CJS + ESM) in one process.
const REASON = Symbol.for('calltoken.authentication-failed')

/**
 * A 401 for credentials that were presented but refused (expired, wrongly signed, wrong issuer…), as opposed to
 * none at all. The token routes answer it with RFC 6750's
 * `WWW-Authenticate: Bearer error="invalid_token", error_description="…"`, so the client can tell why.
 * Throw it from your own `authenticate`; never put the credential itself in `description`.
 *
 * @example
 * authenticate: async (req) => {
 *   const session = await sessions.find(req.headers.authorization)
 *   if (session?.revoked) throw authenticationFailed('The session was revoked')
 *   return session ? { userId: session.userId } : null
 * }
 */
export function authenticationFailed(description: string): CallTokenError {
  const error = new CallTokenError('ERR_CALLTOKEN_UNAUTHENTICATED', `Authentication failed: ${description}`)
  Object.defineProperty(error, REASON, { value: description })
  return error
}

/** The `WWW-Authenticate` value for a 401: the bare scheme when nothing was presented, the reason when it was refused. */
export function challengeFor(scheme: string, error: CallTokenError): string {
  const reason = (error as unknown as Record<symbol, unknown>)[REASON]
  if (typeof reason !== 'string') return scheme
  const params = `error="invalid_token", error_description="${reason.replace(/["\\]/g, '')}"`
  // `Bearer realm="calls"` already has parameters: the error ones follow after a comma.
  return /\s/.test(scheme.trim()) ? `${scheme}, ${params}` : `${scheme} ${params}`
}
