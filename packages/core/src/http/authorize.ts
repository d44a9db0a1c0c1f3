import { forbidden, roleNotAllowed } from '../errors'
import type { Policy } from '../policy'
import type { AuthorizeContext, AuthorizeResult, Principal, TokenRouteInput } from './types'

/**
 * The capability that lets a principal ask for tokens in another user's name.
 *
 * @example
 * // Admins may ask for tokens in any user's name; everyone else only in their own.
 * definePolicy({ roles: { admin: [...DEFAULT_ROLES.admin, ISSUE_FOR_OTHERS] } })
 */
export const ISSUE_FOR_OTHERS = 'issue-for-others'

interface AuthorizeStep<Req> {
  route: string
  kind: AuthorizeContext<Req>['kind']
  principal: Principal | null
  input: TokenRouteInput
  req: Req
  policy: Policy
  /** The call roles a request without a principal may ask for. */
  anonymousRoles: ReadonlySet<string>
  authorize: ((context: AuthorizeContext<Req>) => AuthorizeResult | Promise<AuthorizeResult>) | undefined
}

/**
 * The built-in rules, then the app's `authorize`:
 * - a principal asks in its own name unless one of its roles may issue for others;
 * - a principal's call role must be one of its own roles (or the policy default);
 * - without a principal, the call role must be one the options let anyone ask for;
 * - `authorize` may deny, or allow with overrides (role, call or calls, validity, extras).
 */
export function authorizeInput<Req>(step: AuthorizeStep<Req>): TokenRouteInput | Promise<TokenRouteInput> {
  checkPrincipal(step)
  // No promise when there is no `authorize`: every await costs a turn of the event loop on a hot route.
  return step.authorize ? applyAuthorize(step, step.authorize) : step.input
}

function checkPrincipal<Req>({ kind, principal, input, policy, anonymousRoles }: AuthorizeStep<Req>): void {
  // Anonymous input is validated by the mint alone; here only its role matters, when it names one.
  if (typeof input !== 'object' || input === null) return
  const role = kind === 'call' && typeof input.role === 'string' ? input.role : undefined
  if (!principal) {
    if (role !== undefined && !anonymousRoles.has(role)) throw roleNotAllowed(role, 'is not available without signing in')
    return
  }
  const roles = principal.roles ?? []
  if (input.userId !== principal.userId && !roles.some((r) => policy.can(r, ISSUE_FOR_OTHERS))) {
    throw forbidden('you may only ask for tokens in your own name')
  }
  if (role !== undefined && role !== policy.defaultRole && !roles.includes(role)) throw roleNotAllowed(role, 'is not one of your roles')
}

async function applyAuthorize<Req>(
  { route, kind, principal, input, req }: AuthorizeStep<Req>,
  authorize: NonNullable<AuthorizeStep<Req>['authorize']>,
): Promise<TokenRouteInput> {
  const verdict = await authorize({ route, kind, principal, input, req })
  if (verdict === true) return input
  if (verdict === false || verdict.allow === false) {
    throw forbidden(verdict === false || !verdict.reason ? 'not allowed' : verdict.reason)
  }
  const { allow: _allow, ...overrides } = verdict
  return withOverrides(input, overrides)
}

/** The input with `authorize`'s overrides: extras field by field, and one way of naming the call. */
function withOverrides(input: TokenRouteInput, overrides: Partial<TokenRouteInput>): TokenRouteInput {
  const merged: Record<string, unknown> = { ...input, ...overrides }
  if (overrides.callId !== undefined) delete merged.callIds
  if (overrides.callIds !== undefined) delete merged.callId
  if ('extras' in overrides) {
    const extras: Record<string, unknown> = { ...input.extras, ...overrides.extras }
    for (const name of Object.keys(extras)) if (extras[name] === undefined) delete extras[name]
    merged.extras = Object.keys(extras).length > 0 ? extras : undefined
  }
  return merged as unknown as TokenRouteInput
}
