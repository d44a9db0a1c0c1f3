import { configError, isCallTokenError, rateLimited, rateLimitUnavailable, tokenExpired, unauthenticated, validationError, type CallTokenError } from '../errors'
import { createCallToken, createTokenService, createUserToken } from '../service'
import type { CallTokenInput, CallTokenProvider, IssuedToken, TokenOptions, TokenService } from '../types'
import { effectiveRange } from '../validity'
import { challengeFor } from './challenge'
import { authorizeInput } from './authorize'
import { parseJsonBody } from './body'
import { errorBody, NO_STORE, tokenBody } from './envelope'
import { createRateLimiter, type RateLimitCheck } from './rate-limiter'
import { createRefreshTokens, REFRESH_TOKEN_MAX_LENGTH, type RefreshScope } from './refresh-token'
import { anonymousRolesOf, checkClientInput, checkRouteOptions, clientInputOf, type ClientInput } from './route-options'
import { checkTokenRoute } from './route-spec'
import type {
  CallTokenRouteOptions,
  Principal,
  TokenHttpRequest,
  TokenHttpResponse,
  TokenRouteInput,
  TokenRouteKind,
  TokenRouteSpec,
} from './types'

/**
 * The routes, relative to where a binding mounts them.
 *
 * @example
 * for (const { route, method, path } of TOKEN_ROUTES) {
 *   if (handler.routes.includes(route)) server.on(method, `/api${path}`, handler.builtInRoute(route))
 * }
 */
export const TOKEN_ROUTES: readonly { readonly route: TokenRouteKind; readonly method: 'POST'; readonly path: string }[] = [
  { route: 'user', method: 'POST', path: '/tokens/user' },
  { route: 'call', method: 'POST', path: '/tokens/call' },
  { route: 'refresh', method: 'POST', path: '/tokens/refresh' },
]

export interface TokenHandler<Req> {
  readonly service: TokenService
  /** The built-in routes this handler serves: /tokens/refresh only when refresh tokens are on. */
  readonly routes: readonly TokenRouteKind[]
  /** Runs `authenticate` once per request (the rate limiter and the handler both ask). */
  principalOf(req: Req): Promise<Principal | null>
  /**
   * The handler of one built-in route, for a binding to mount at its path: one request → one response. Unknown
   * errors are rethrown for the framework's error handler.
   */
  builtInRoute(route: TokenRouteKind): (request: TokenHttpRequest<Req>) => Promise<TokenHttpResponse>
  /** Checks a route of the app's own shape (its spec and rate limit) at mount, so a mistake fails at start-up. */
  prepareRoute(route: TokenRouteSpec<Req>): void
  /** The same pipeline for a route of the app's own shape (its path, input and answers). */
  handleRoute(route: TokenRouteSpec<Req>, request: TokenHttpRequest<Req>): Promise<TokenHttpResponse>
  /** The answer to a CallTokenError raised outside the pipeline (body limit, rate limit), in `route`'s error shape. */
  errorResponse(error: CallTokenError, route?: TokenRouteSpec<Req>, req?: Req): Promise<TokenHttpResponse>
}

/** What one route makes of a request before the shared rules run. */
interface Prepared {
  readonly kind: 'user' | 'call'
  readonly input: TokenRouteInput
  /** Set when renewing: the minted token must not outlive it. */
  readonly sessionEndsAt?: number
}

interface Route<Req> {
  readonly name: string
  /** Its rate limit, undefined when off. */
  readonly limit: RateLimitCheck | undefined
  prepare(context: { req: Req; body: Record<string, unknown>; principal: Principal | null; nowSeconds: number }): Prepared | Promise<Prepared>
  /** The app's own route; without one it is built in, and its answers carry a refresh token. */
  readonly spec?: TokenRouteSpec<Req>
}

/**
 * All HTTP behaviour of the token routes; the Express and Fastify bindings only translate to and from it.
 *
 * @throws ERR_CALLTOKEN_INVALID_CONFIG when the options are incomplete or inconsistent (checked now, at start-up).
 * @example
 * const handler = createTokenHandler<StreamProvider, IncomingMessage>({ provider, authenticate: bearerJwt({ secret }) })
 * const answer = await handler.builtInRoute('call')({ headers: req.headers, rawBody, clientIp: req.socket.remoteAddress, req })
 * res.writeHead(answer.status, answer.headers).end(JSON.stringify(answer.body))
 */
export function createTokenHandler<P extends CallTokenProvider, Req extends object>(options: CallTokenRouteOptions<P, Req>): TokenHandler<Req> {
  checkRouteOptions(options)
  const { authenticate, authorize, logger, onIssued } = options
  const service = createTokenService(options)
  const { provider, policy } = service
  const now = options.now ?? Date.now
  const range = effectiveRange(policy, provider.id, provider.limits)
  const anonymousRoles = anonymousRolesOf(options.allowAnonymous, policy)
  const clientInput = clientInputOf(options, provider)
  const refreshTokens = options.refresh === false ? undefined : createRefreshTokens(provider, options.refresh)
  const limiter = createRateLimiter(options.rateLimit, { now, logger, redact: (text) => provider.redact(text) })
  const principals = new WeakMap<Req, Promise<Principal | null>>()
  // RFC 6750: a 401 names the scheme to authenticate with (bearerJwt says 'Bearer').
  const challenge = options.challenge ?? (authenticate as { challenge?: string } | undefined)?.challenge

  /** An error answer in the route's own shape (or the standard one), no-store, with the challenge on a 401. */
  async function errorAnswer(error: CallTokenError, route: TokenRouteSpec<Req> | undefined, req: Req | undefined, extra?: Readonly<Record<string, string>>): Promise<TokenHttpResponse> {
    let headers = extra ? { ...NO_STORE, ...extra } : NO_STORE
    if (error.code === 'ERR_CALLTOKEN_UNAUTHENTICATED' && challenge) headers = { ...headers, 'www-authenticate': challengeFor(challenge, error) }
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

  /** authenticate → parse → input → validate → authorize → mint → onIssued → answer. */
  async function run(route: Route<Req>, request: TokenHttpRequest<Req>): Promise<TokenHttpResponse> {
    const { req } = request
    let limitHeaders: Readonly<Record<string, string>> | undefined
    try {
      // A refused credential counts against the client's IP before it is answered, so guessing is rate limited too.
      let principal: Principal | null = null
      let refusal: unknown
      try {
        principal = await principalOf(req)
      } catch (error) {
        if (!isCallTokenError(error)) throw error
        refusal = error
      }
      if (route.limit) {
        const counting = route.limit(principal, request.clientIp)
        // The memory store answers synchronously: no promise, no turn of the event loop on the hot path.
        const verdict = counting instanceof Promise ? await counting : counting
        limitHeaders = verdict.headers
        if (!verdict.allowed) throw verdict.outage === 'unavailable' ? rateLimitUnavailable() : rateLimited()
      }
      if (refusal) throw refusal
      // With allowAnonymous too, a request without credentials is served as anonymous (refused ones stay 401).
      if (authenticate && !principal && !options.allowAnonymous) throw unauthenticated()
      const body = readBody(request)
      // One reading of the clock for the session deadline and the mint, so a refreshed token cannot overrun it.
      const nowMs = now()
      const nowSeconds = Math.floor(nowMs / 1000)
      const prepared = route.prepare({ req, body, principal, nowSeconds })
      const { kind, input, sessionEndsAt } = prepared instanceof Promise ? await prepared : prepared
      // The principal rules and `authorize` only ever see valid input; anonymous input is checked once, by the mint.
      if (principal || authorize) service.validate(kind, input)
      const checked = authorizeInput({ route: route.name, kind, principal, input, req, policy, anonymousRoles, authorize })
      const allowed = checked instanceof Promise ? await checked : checked
      const minted = sessionEndsAt === undefined ? allowed : withinSession(allowed, sessionEndsAt, nowSeconds)
      const mintOptions: TokenOptions = { provider, policy, now: () => nowMs }
      const issued = kind === 'call' ? await createCallToken(minted as CallTokenInput, mintOptions) : await createUserToken(withoutRole(minted), mintOptions)
      if (onIssued) await onIssued({ route: route.name, kind, principal, issued: issued as IssuedToken<P>, req })
      const headers = limitHeaders ? { ...NO_STORE, ...limitHeaders } : NO_STORE
      const status = route.spec?.status ?? 200
      if (route.spec?.respond) return { status, headers, body: await route.spec.respond(issued, req) }
      const refreshToken = refreshTokens && !route.spec ? await refreshTokens.issue(issued, kind, sessionEndsAt ?? nowSeconds + refreshTokens.sessionSeconds) : undefined
      return { status, headers, body: tokenBody(issued, refreshToken) }
    } catch (error) {
      if (!isCallTokenError(error)) throw error
      if (error.code === 'ERR_CALLTOKEN_PROVIDER_FAILED' || error.code === 'ERR_CALLTOKEN_INVALID_CONFIG') {
        logger?.error({ code: error.code, cause: provider.redact(String((error.cause as Error | undefined)?.message ?? '')) }, error.message)
      }
      return errorAnswer(error, route.spec, req, limitHeaders)
    }
  }

  /** A refreshed token ends at the session's deadline at the latest; too short a remainder ends the session now. */
  function withinSession(input: TokenRouteInput, sessionEndsAt: number, nowSeconds: number): TokenRouteInput {
    const remaining = sessionEndsAt - nowSeconds
    const validity = input.validityInSeconds ?? range.defaultSeconds
    if (validity <= remaining) return input
    if (remaining < range.minSeconds) throw sessionEnded(sessionEndsAt, `${remaining} s from now, too soon for a token of at least ${range.minSeconds} s`)
    return { ...input, validityInSeconds: remaining }
  }

  /** The renewed scope, as the request that minted it: judged again as of now by the shared rules. */
  async function renew({ body, nowSeconds }: { body: Record<string, unknown>; nowSeconds: number }): Promise<Prepared> {
    const scope = await refreshTokens!.read(refreshTokenOf(body), nowSeconds)
    if (nowSeconds >= scope.sessionEndsAt) throw sessionEnded(scope.sessionEndsAt, 'which has passed')
    return { kind: scope.kind, input: inputOf(scope), sessionEndsAt: scope.sessionEndsAt }
  }

  const builtIn: Record<TokenRouteKind, Route<Req>> = {
    user: { name: 'user', limit: limiter.forRoute('user'), prepare: ({ body, principal }) => ({ kind: 'user', input: requestInput(body, principal, clientInput) }) },
    call: { name: 'call', limit: limiter.forRoute('call'), prepare: ({ body, principal }) => ({ kind: 'call', input: requestInput(body, principal, clientInput) }) },
    refresh: { name: 'refresh', limit: limiter.forRoute('refresh'), prepare: renew },
  }
  const custom = new WeakMap<TokenRouteSpec<Req>, Route<Req>>()
  const customRoute = (spec: TokenRouteSpec<Req>): Route<Req> => {
    let route = custom.get(spec)
    if (!route) {
      checkTokenRoute(spec)
      route = {
        name: spec.name,
        limit: limiter.forRoute(spec.name),
        spec,
        prepare: async ({ req, body, principal }) => ({ kind: spec.kind, input: await spec.input({ req, body, principal }) }),
      }
      custom.set(spec, route)
    }
    return route
  }

  function builtInRoute(route: TokenRouteKind): (request: TokenHttpRequest<Req>) => Promise<TokenHttpResponse> {
    if (route === 'refresh' && !refreshTokens) throw configError('Refresh tokens are off (refresh: false): there is no refresh route')
    const target = builtIn[route]
    return (request) => run(target, request)
  }

  return {
    service: service as unknown as TokenService,
    routes: refreshTokens ? ['user', 'call', 'refresh'] : ['user', 'call'],
    principalOf,
    errorResponse: errorAnswer,
    builtInRoute,
    prepareRoute: (spec) => void customRoute(spec),
    handleRoute: (spec, request) => run(customRoute(spec), request),
  }
}

/**
 * The body as a JSON object: the routes' own parse of the raw bytes, `{}` without a body. A body another parser
 * already turned into something is refused, since its limits and syntax rules were not these.
 */
function readBody(request: TokenHttpRequest<unknown>): Record<string, unknown> {
  if (request.rawBody === undefined && request.parsedBody !== undefined) {
    throw configError(
      'A body parser of the app (such as a global express.json() or express.urlencoded(), a hook that set the body, or a middleware that read the body of a fetch Request) read this request before the token routes: mount the token routes before it, so they apply their own size limit and JSON rules',
    )
  }
  const body = request.rawBody === undefined ? {} : parseJsonBody(request.rawBody, request.headers)
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validationError([{ path: '', message: 'the body must be a JSON object' }])
  }
  return body as Record<string, unknown>
}

/** The body as mint input: the principal's user id unless the body names one; extras and callIds only as the app allows. */
function requestInput(body: Record<string, unknown>, principal: Principal | null, allowed: ClientInput): TokenRouteInput {
  checkClientInput(body, allowed)
  if (principal === null) return body as unknown as TokenRouteInput
  return { ...body, userId: body.userId ?? principal.userId } as TokenRouteInput
}

function refreshTokenOf(body: Record<string, unknown>): string {
  const { refreshToken } = body
  const keys = Object.keys(body)
  if (typeof refreshToken === 'string' && refreshToken.length <= REFRESH_TOKEN_MAX_LENGTH && keys.length === 1) return refreshToken
  const message =
    'token' in body
      ? 'refreshToken is required: send the refreshToken of the token answer (a provider token cannot be renewed; ask /tokens/user or /tokens/call again)'
      : keys.some((k) => k !== 'refreshToken')
        ? `${keys.find((k) => k !== 'refreshToken')} is not a known field; the body is { refreshToken }`
        : typeof refreshToken === 'string'
          ? `refreshToken is longer than ${REFRESH_TOKEN_MAX_LENGTH} characters`
          : 'refreshToken is required and must be a string'
  throw validationError([{ path: 'refreshToken', message }])
}

function inputOf({ userId, callId, callIds, callType, role, validityInSeconds, extras }: RefreshScope): TokenRouteInput {
  return {
    userId,
    ...(callId === undefined ? {} : { callId }),
    ...(callIds === undefined ? {} : { callIds }),
    ...(callType === undefined ? {} : { callType }),
    ...(role === undefined ? {} : { role }),
    validityInSeconds,
    ...(extras === undefined ? {} : { extras }),
  }
}

function sessionEnded(sessionEndsAt: number, when: string): CallTokenError {
  const deadline = new Date(sessionEndsAt * 1000).toISOString()
  return tokenExpired(`The session is over: refresh tokens renew a token until ${deadline}, ${when}; ask for a new token`)
}

function withoutRole({ role: _role, ...rest }: TokenRouteInput): Omit<TokenRouteInput, 'role'> {
  return rest
}
