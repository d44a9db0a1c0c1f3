import { refusalReason, type CallTokenError } from '../errors'

/** The `WWW-Authenticate` value for a 401: the bare scheme when nothing was presented, the reason when it was refused. */
export function challengeFor(scheme: string, error: CallTokenError): string {
  const reason = refusalReason(error)
  if (reason === undefined) return scheme
  const params = `error="invalid_token", error_description="${reason.replace(/["\\]/g, '')}"`
  // `Bearer realm="calls"` already has parameters: the error ones follow after a comma.
  return /\s/.test(scheme.trim()) ? `${scheme}, ${params}` : `${scheme} ${params}`
}
