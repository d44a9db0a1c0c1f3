import { CallTokenError, configError, isCallTokenError } from '../errors'
import type { CallTokenProvider, DecodedToken } from '../provider'
import { createTokenService, type IssuedToken, type TokenService } from '../service'
import { challengeFor } from './authentication-failed'
import { authorizeInput, forbidden } from './authorize'
import { parseJsonBody } from './body'
import { errorBody, NO_STORE, tokenBody } from './envelope'
import type {
  CallTokenRouteOptions,
  Principal,
  TokenHttpRequest,
  TokenHttpResponse,
  TokenRouteInput,
  TokenRouteKind,
  TokenRouteSpec,
} from './types'

/** The routes, relative to where a binding mounts them. */
export const TOKEN_ROUTES: readonly { readonly route: TokenRouteKind; readonly method: 'POST'; readonly path: string }[] = [
  { route: 'user', method: 'POST', path: '/tokens/user' },
  { route: 'call', method: 'POST', path: '/tokens/call' },
  { route: 'refresh', method: 'POST', path: '/tokens/refresh' },
]

export interface TokenHandler<Req> {
  readonly service: TokenService
  /** The built-in routes as route specs (their rate-limit names are 'user', 'call' and 'refresh'). */
  readonly routes: Readonly<Record<TokenRouteKind, TokenRouteSpec<Req>>>
  /** Runs `authenticate` once per request (the rate limiter and the handler both ask). */
  principalOf(req: Req): Promise<Principal | null>
  /** One request to a built-in route → one response. Unknown errors are rethrown for the framework's error handler. */
  handle(request: TokenHttpRequest<Req>): Promise<TokenHttpResponse>
  /** The same pipeline for a route of the app's own shape (its path, input and answers). */
  handleRoute(route: TokenRouteSpec<Req>, request: Omit<TokenHttpRequest<Req>, 'route'>): Promise<TokenHttpResponse>
  /** The answer to a CallTokenError raised outside the pipeline (body limit, rate limit), in `route`'s error shape. */
  errorResponse(error: CallTokenError, route?: TokenRouteSpec<Req>, req?: Req): Promise<TokenHttpResponse>
}

/** All HTTP behaviour of the token routes; the Express and Fastify bindings only translate to and from it. */
export function createTokenHandler<P extends CallTokenProvider, Req extends object>(options: CallTokenRouteOptions<P, Req>): TokenHandler<Req> {
  const { authenticate, authorize, allowAnonymous = false, logger, onIssued } = options
  if (!authenticate && allowAnonymous !== true) {
    throw configError('The token routes need `authenticate`, or `allowAnonymous: true` to let anyone ask for a token for any user id')
  }
  const service = createTokenService(options)
  const principals = new WeakMap<Req, Promise<Principal | null>>()
  // RFC 6750: a 401 names the scheme to authenticate with (bearerJwt says 'Bearer').
  const challenge = options.challenge ?? (authenticate as { challenge?: string } | undefined)?.challenge

  /** An error answer in the route's own shape (or the standard one), no-store, with the challenge on a 401. */
  async function errorAnswer(error: CallTokenError, route: TokenRouteSpec<Req> | undefined, req: Req | undefined): Promise<TokenHttpResponse> {
    const headers = error.code === 'ERR_CALLTOKEN_UNAUTHENTICATED' && challenge ? { ...NO_STORE, 'www-authenticate': challengeFor(challenge, error) } : NO_STORE
    const body = route?.respondError && req !== undefined ? await route.respondError(error, req) : errorBody(error)
    return { status: error.status, headers, body }
  }

  const anonymous = Promise.resolve(null)
  const principalOf = (req: Req) => {
    if (!authenticate) return anonymous
    let principal = principals.get(req)
    if (!principal) principals.set(req, (principal = Promise.resolve(authenticate(req))))
    return principal
  }

  const builtIn: Record<TokenRouteKind, TokenRouteSpec<Req>> = {
    user: { name: 'user', kind: 'user', input: ({ body, principal }) => requestInput(body, principal) },
    call: { name: 'call', kind: 'call', input: ({ body, principal }) => requestInput(body, principal) },
    refresh: { name: 'refresh', kind: 'refresh', input: ({ body, principal }) => refreshInput(body, principal) },
  }

  /** authenticate → parse → input → validate → authorize → mint → onIssued → answer. */
  async function run(route: TokenRouteSpec<Req>, request: Omit<TokenHttpRequest<Req>, 'route'>): Promise<TokenHttpResponse> {
    const { req } = request
    try {
      const principal = await principalOf(req)
      if (authenticate && !principal) throw new CallTokenError('ERR_CALLTOKEN_UNAUTHENTICATED', 'Authentication required')
      const body = request.rawBody === undefined ? (request.parsedBody ?? {}) : parseJsonBody(request.rawBody, request.headers)
      const given = route.input({ req, body, principal })
      const input = given instanceof Promise ? await given : given
      // The principal rules and `authorize` only ever see valid input; anonymous input is checked once, by the mint.
      if (route.kind !== 'refresh' && (principal || authorize)) service.validate(route.kind, input)
      const checked = authorizeInput({ route: route.name, kind: route.kind, principal, input, req, policy: service.policy, authorize })
      const allowed = checked instanceof Promise ? await checked : checked
      const issued =
        route.kind === 'call' || (route.kind === 'refresh' && allowed.role !== undefined)
          ? await service.createCallToken(allowed as TokenRouteInput & { callId: string })
          : await service.createUserToken(withoutRole(allowed))
      if (onIssued) await onIssued({ route: route.name, kind: issued.role === undefined ? 'user' : 'call', principal, issued: issued as IssuedToken<P>, req })
      return { status: 200, headers: NO_STORE, body: route.respond ? await route.respond(issued, req) : tokenBody(issued) }
    } catch (error) {
      if (!isCallTokenError(error)) throw error
      if (error.code === 'ERR_CALLTOKEN_PROVIDER_FAILED' || error.code === 'ERR_CALLTOKEN_INVALID_CONFIG') {
        logger?.error({ code: error.code, cause: service.provider.redact(String((error.cause as Error | undefined)?.message ?? '')) }, error.message)
      }
      return errorAnswer(error, route, req)
    }
  }

  /** The refresh body's token, checked, read back into the request that minted it. */
  function refreshInput(body: unknown, principal: Principal | null): TokenRouteInput {
    const token = (body as { token?: unknown } | null)?.token
    if (typeof body !== 'object' || body === null || Object.keys(body).some((k) => k !== 'token') || typeof token !== 'string') {
      throw new CallTokenError('ERR_CALLTOKEN_INVALID_INPUT', 'Validation failed: token is required', {
        issues: [{ path: 'token', message: 'token is required and is the only field' }],
      })
    }
    const decoded = service.verifyToken(token) // INVALID_TOKEN or TOKEN_EXPIRED, both 401
    if (principal && decoded.userId !== principal.userId) throw forbidden('the token belongs to another user')
    return {
      userId: decoded.userId,
      ...(decoded.callId === undefined ? {} : { callId: decoded.callId }),
      ...(decoded.callType === undefined ? {} : { callType: decoded.callType }),
      ...(decoded.providerRole === undefined ? {} : { role: policyRoleOf(decoded.providerRole) }),
      validityInSeconds: validityOf(decoded),
    }
  }

  /** The validity a token was minted with: its lifetime less the skew, which core shortens at the provider's maximum. */
  function validityOf({ issuedAt, expiresAt }: DecodedToken): number {
    const lifetime = expiresAt - issuedAt
    const max = service.provider.limits.maxValiditySeconds
    return lifetime >= max ? max : lifetime - service.policy.clockSkewSeconds
  }

  /** The policy role an adapter maps to `providerRole` (the first, when several share it). */
  function policyRoleOf(providerRole: string): string | undefined {
    return service.policy.roles.find((role) => service.provider.mapRole(role, service.policy.capabilitiesOf(role)) === providerRole)
  }

  return {
    service,
    routes: builtIn,
    principalOf,
    errorResponse: errorAnswer,
    handle: (request) => run(builtIn[request.route], request),
    handleRoute: run,
  }
}

/** The body as mint input: the principal's user id unless the body names one. */
function requestInput(body: unknown, principal: Principal | null): TokenRouteInput {
  if (principal === null || typeof body !== 'object' || body === null || Array.isArray(body)) return body as TokenRouteInput
  const fields = body as Record<string, unknown>
  return { ...fields, userId: fields.userId ?? principal.userId } as TokenRouteInput
}

function withoutRole({ role: _role, ...rest }: TokenRouteInput): Omit<TokenRouteInput, 'role'> {
  return rest
}
