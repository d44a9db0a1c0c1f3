import type { CallTokenError } from '../errors'
import type { CallTokenProvider, IssuedCallToken, IssuedToken, IssuedUserToken, TokenExtras, TokenKind, TokenOptions } from '../types'
import type { RateLimitStore } from './rate-limit-store'
import type { RefreshOptions } from './refresh-token'

/** Who is asking, as the app's `authenticate` found out. */
export interface Principal {
  readonly userId: string
  /** The principal's roles in the policy's vocabulary; they bound the call role it may ask for. */
  readonly roles?: readonly string[]
}

export type TokenRouteKind = 'user' | 'call' | 'refresh'

/** The request a binding hands the handler: plain data plus the native request for the app's callbacks. */
export interface TokenHttpRequest<Req = unknown> {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>
  /** The client's address as the framework sees it (behind a proxy, per its trust-proxy setting): the rate-limit key without a principal. */
  readonly clientIp?: string
  /** The unparsed body; the handler checks its type and size and parses it. */
  readonly rawBody?: Uint8Array | string
  /**
   * A body the host app already parsed (a global express.json() or urlencoded()). Refused with INVALID_CONFIG:
   * its size, keys and syntax were judged by another parser, so the routes cannot answer as they promise.
   */
  readonly parsedBody?: unknown
  readonly req: Req
}

export interface TokenHttpResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
}

/** The token fields `authorize` sees and may override. */
export interface TokenRouteInput {
  readonly userId: string
  readonly callId?: string
  /** A call token for several calls (only where the provider allows it): judge every one of them. */
  readonly callIds?: readonly string[]
  readonly callType?: string
  readonly role?: string
  readonly validityInSeconds?: number
  /** The adapter's token options: from the client only the names in `clientExtras`, anything from the server. */
  readonly extras?: TokenExtras
}

/**
 * false or { allow: false, reason } → 403; true or { allow: true, ...overrides } → mint (with the overrides).
 * `extras` overrides field by field (undefined removes one); `callId` replaces `callIds` and the reverse.
 */
export type AuthorizeResult =
  | boolean
  | { readonly allow: false; readonly reason?: string }
  | ({ readonly allow: true } & Partial<Pick<TokenRouteInput, 'role' | 'callId' | 'callIds' | 'callType' | 'validityInSeconds' | 'extras'>>)

export interface AuthorizeContext<Req> {
  /** The route's name: 'user', 'call', 'refresh', or a custom route's `name`. */
  readonly route: string
  /** The token asked for; on 'refresh', the kind of the token being renewed. */
  readonly kind: 'user' | 'call'
  readonly principal: Principal | null
  /** What will be minted; on 'refresh', the original token's user, call, call type, role and validity. */
  readonly input: TokenRouteInput
  readonly req: Req
}

export interface RouteRateLimit {
  /** Requests per window. Default 60. */
  readonly max?: number
  /** Window length in milliseconds. Default 60 000. */
  readonly windowMs?: number
}

export interface RateLimitOptions extends RouteRateLimit {
  /** Per-route overrides, by route name ('user', 'call', 'refresh' or a custom route's name). */
  readonly routes?: Readonly<Record<string, RouteRateLimit>>
  /**
   * An ioredis client: the limit is then shared by every instance using the same Redis.
   * Without it (and without `store`) each process counts in memory.
   */
  readonly redis?: unknown
  /** Key prefix in Redis. Default "calltoken:rl:". */
  readonly prefix?: string
  /** A store of the app's own (instead of `redis`): any `{ hit(key, windowMs) → { count, resetInMs } }`. */
  readonly store?: RateLimitStore
  /**
   * How long a request waits for the store (Redis, or your own) before the store counts as failed. Default 250 ms;
   * the in-memory store answers at once and is never timed.
   */
  readonly storeTimeoutMs?: number
  /**
   * What a failed store means for a request. `false` (the default): fail closed, `503 ERR_CALLTOKEN_RATE_LIMIT_UNAVAILABLE`
   * with `Retry-After: 1`, so an outage never turns the limit off. `true`: fail open, the request goes through
   * uncounted. Either way the outage is logged once when it starts and once when the store answers again.
   */
  readonly failOpen?: boolean
}

/** Where the handler reports failures it turns into 500s, and a failing rate-limit store (pino and console fit). */
export interface TokenRouteLogger {
  error(details: Record<string, unknown>, message: string): void
  /** The rate-limit store's recovery after an outage; `error` when absent. */
  warn?(details: Record<string, unknown>, message: string): void
}

export interface CallTokenRouteOptions<P extends CallTokenProvider = CallTokenProvider, Req = unknown> extends TokenOptions<P> {
  /** The principal behind a request, or null when it has none (→ 401). */
  authenticate?: (req: Req) => Principal | null | Promise<Principal | null>
  /** Per-request permission, e.g. "only participants of this call"; may override role, call and validity. */
  authorize?: (context: AuthorizeContext<Req>) => AuthorizeResult | Promise<AuthorizeResult>
  /**
   * Required to serve tokens without `authenticate`: then anyone may ask for any user id. `true` gives only the
   * policy's default role; `{ roles: ['member', 'viewer'] }` lists the roles anyone may ask for. With
   * `authenticate` as well, a request without credentials is served as anonymous instead of 401; credentials that
   * are presented and refused (an expired JWT) are still 401.
   */
  allowAnonymous?: boolean | { readonly roles: readonly string[] }
  /**
   * The `extras` fields a client may send in the body of /tokens/user and /tokens/call, by name (e.g. `['name']`
   * for LiveKit's display name). Any other field a client sends is refused (422); the server sets the rest in
   * `authorize` or a custom route's `input`. Default: none.
   */
  clientExtras?: readonly string[]
  /**
   * Lets a client ask /tokens/call for a token for several calls (`callIds`, where the provider allows it: Stream).
   * Off by default, because `authorize` must then judge every id of `input.callIds`, not only `input.callId`.
   */
  clientCallIds?: boolean
  /**
   * Refresh tokens: each answer of /tokens/user and /tokens/call carries `data.refreshToken`, which
   * /tokens/refresh renews for the same scope, judged as of then, within a session (default 24 h).
   * `false` serves no refresh route and no refresh tokens.
   */
  refresh?: RefreshOptions | false
  /** Token requests per principal (per IP when anonymous). Default 60 a minute per route; false turns it off. */
  rateLimit?: RateLimitOptions | false
  /**
   * Where 500s (with their cause, never a secret) and a failing rate-limit store are reported; `console` and pino fit. Default: nothing is logged.
   */
  logger?: TokenRouteLogger
  /** The WWW-Authenticate challenge of a 401 (RFC 6750). Default: `authenticate.challenge` ('Bearer' for bearerJwt). */
  challenge?: string
  /**
   * Called with every token the routes mint, before the answer is sent (an audit row, a metric). A throw is an
   * unknown error, so the token never leaves unrecorded and the framework's error handler answers.
   */
  onIssued?: (event: TokenIssuedEvent<P, Req>) => void | Promise<void>
}

export interface TokenIssuedEvent<P extends CallTokenProvider = CallTokenProvider, Req = unknown> {
  readonly route: string
  /** A call token (it has a role) or a user token; the same as `issued.kind`. */
  readonly kind: TokenKind
  readonly principal: Principal | null
  readonly issued: IssuedToken<P>
  readonly req: Req
}

/** The token a route of `kind` mints, with the provider's types. */
export type IssuedTokenOf<P extends CallTokenProvider, Kind extends TokenKind> = Kind extends 'call' ? IssuedCallToken<P> : IssuedUserToken<P>

export type TokenRouteMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'

/**
 * A token route of the app's own shape (its own envelope, a GET with an id in the path): the same
 * authentication, validation, authorization, rate limit, onIssued and no-store as the built-in routes.
 * Its answers carry no refresh token: a client renews by calling the route again, which re-runs `input`.
 *
 * @example
 * const appointmentToken: TokenRouteSpec<Request> = {
 *   name: 'appointment', kind: 'call', method: 'get', path: '/appointments/:id/token',
 *   input: async ({ req, principal }) => {
 *     const appointment = await appointments.find(req.params.id)
 *     if (!appointment) throw new CallTokenError('ERR_CALLTOKEN_NOT_FOUND', 'Appointment not found')
 *     return { userId: principal!.userId, callId: appointment.room, role: 'member' }
 *   },
 * }
 */
export interface TokenRouteSpec<Req = unknown, P extends CallTokenProvider = CallTokenProvider, Kind extends TokenKind = TokenKind> {
  /** Names the route in rate-limit keys, `rateLimit.routes`, `authorize` and `onIssued`. */
  readonly name: string
  /** The token it mints. */
  readonly kind: Kind
  /** The HTTP method, in lower case. */
  readonly method: TokenRouteMethod
  /** The path, relative to where the route is mounted, with the framework's params (`/appointments/:id/token`). */
  readonly path: string
  /**
   * The mint input from the request. Throw a CallTokenError to refuse, e.g.
   * `new CallTokenError('ERR_CALLTOKEN_NOT_FOUND', 'Appointment not found')` (404).
   */
  input(context: { readonly req: Req; readonly body: unknown; readonly principal: Principal | null }): TokenRouteInput | Promise<TokenRouteInput>
  /** The success body. Default: `{ success: true, data }`. `issued` has the adapter's types for this kind of token. */
  respond?(issued: IssuedTokenOf<P, Kind>, req: Req): unknown
  /** The success status: 200 (the default) or 201, for a protocol that wants "Created" (LiveKit's token endpoint). */
  readonly status?: 200 | 201
  /** The body of an error answer (its status stays the error's). Default: `{ success: false, error, code, issues? }`. */
  respondError?(error: CallTokenError, req: Req): unknown
}
