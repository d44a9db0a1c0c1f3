import { configError, validationError } from '../errors'
import type { Policy } from '../policy'
import type { CallTokenProvider } from '../types'
import type { CallTokenRouteOptions } from './types'

/**
 * The start-up checks of the routes' options, each naming what is missing or wrong, so a misconfigured app fails
 * when it starts rather than on a request.
 */
export function checkRouteOptions(options: unknown): asserts options is CallTokenRouteOptions<any, any> {
  if (typeof options !== 'object' || options === null) {
    throw configError('The token routes need options: { provider, authenticate } (or allowAnonymous: true instead of authenticate)')
  }
  const { provider, authenticate, authorize, onIssued, allowAnonymous, refresh, logger } = options as Record<string, unknown>
  if (provider === undefined) throw configError('options.provider is missing: pass an adapter, e.g. stream({ apiKey, apiSecret })')
  for (const [name, value] of Object.entries({ authenticate, authorize, onIssued })) {
    if (value !== undefined && typeof value !== 'function') throw configError(`options.${name} must be a function`)
  }
  if (allowAnonymous !== undefined && typeof allowAnonymous !== 'boolean' && !Array.isArray((allowAnonymous as { roles?: unknown } | null)?.roles)) {
    throw configError('options.allowAnonymous must be true, false or { roles: [...] }')
  }
  if (!authenticate && !allowAnonymous) {
    throw configError('The token routes need `authenticate`, or `allowAnonymous: true` to let anyone ask for a token for any user id')
  }
  if (refresh !== undefined && refresh !== false && (typeof refresh !== 'object' || refresh === null)) {
    throw configError('options.refresh must be false or { secret?, sessionSeconds? }')
  }
  if (logger !== undefined && typeof (logger as { error?: unknown } | null)?.error !== 'function') {
    throw configError('options.logger must have an error(details, message) method (pino and console do)')
  }
}

/** The call roles an anonymous request may ask for: the default role, or the listed ones (each a policy role). */
export function anonymousRolesOf(allowAnonymous: CallTokenRouteOptions['allowAnonymous'], policy: Policy): ReadonlySet<string> {
  if (typeof allowAnonymous !== 'object') return new Set([policy.defaultRole])
  for (const role of allowAnonymous.roles) {
    if (!policy.roles.includes(role)) {
      throw configError(`allowAnonymous.roles: "${String(role)}" is not a role of the policy (${policy.roles.join(', ')})`)
    }
  }
  return new Set(allowAnonymous.roles)
}

/** What a client may send beyond the core fields: the `extras` names and `callIds`, as the options allow. */
export interface ClientInput {
  readonly extras: ReadonlySet<string>
  readonly callIds: boolean
}

/** The options' `clientExtras` and `clientCallIds`, checked against what the provider takes. */
export function clientInputOf(options: Pick<CallTokenRouteOptions, 'clientExtras' | 'clientCallIds'>, provider: CallTokenProvider): ClientInput {
  const { clientExtras = [], clientCallIds = false } = options
  if (!Array.isArray(clientExtras)) throw configError('options.clientExtras must be a list of extras names, e.g. ["name"]')
  for (const name of clientExtras) {
    if (!provider.limits.extras.includes(name)) {
      const known = provider.limits.extras.length > 0 ? `its extras are ${provider.limits.extras.join(', ')}` : 'it has none'
      throw configError(`options.clientExtras: "${String(name)}" is not an extra of ${provider.id} (${known})`)
    }
  }
  if (typeof clientCallIds !== 'boolean') throw configError('options.clientCallIds must be true or false')
  if (clientCallIds && provider.limits.maxCallsPerToken <= 1) throw configError(`options.clientCallIds: ${provider.id} tokens are for one call each`)
  return { extras: new Set(clientExtras), callIds: clientCallIds }
}

/** Refuses (422) the extras fields and the callIds a client may not send. */
export function checkClientInput(body: Record<string, unknown>, allowed: ClientInput): void {
  const { extras, callIds } = body
  if (callIds !== undefined && !allowed.callIds) {
    throw validationError([{ path: 'callIds', message: 'callIds is not accepted by this route: ask for one callId' }])
  }
  if (extras === undefined) return
  if (typeof extras !== 'object' || extras === null || Array.isArray(extras)) {
    throw validationError([{ path: 'extras', message: 'extras must be an object' }])
  }
  const refused = Object.keys(extras).filter((name) => !allowed.extras.has(name))
  if (refused.length > 0) {
    throw validationError(refused.map((name) => ({ path: `extras.${name}`, message: `extras.${name} is set by the server; a client may not send it` })))
  }
}
