import { configError } from '../errors'
import type { Policy } from '../policy'
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
