import { CallTokenError, type CallTokenProvider, type TokenKind } from '@calltoken/core'
import {
  bodyTooLarge,
  BODY_LIMIT_BYTES,
  createTokenHandler,
  TOKEN_ROUTES,
  type TokenHandler,
  type TokenHttpRequest,
  type TokenHttpResponse,
  type TokenRouteSpec,
} from '@calltoken/core/http'
import { bindingSettings, type BindingSettings, type FetchCallTokenOptions } from './options'
import { pathMatcher, type RouteParams } from './path'
import { headersOf, readBody, toResponse, TOO_LARGE } from './request'

/**
 * The token routes as a fetch handler: a `Request` (and whatever the host passes after it) in, a `Response` out. With
 * `fallthrough: true` it answers `undefined` for a request that is not one of its routes.
 */
export type FetchHandler<HostArgs extends unknown[] = [], Fallthrough extends boolean = false> = (
  request: Request,
  ...hostArgs: HostArgs
) => Promise<Fallthrough extends true ? Response | undefined : Response>

/**
 * The `req` of a route of your own shape: the `Request` itself, with `params`, the decoded `:param` segments of its
 * path (`/appointments/:id/token` on `/api/appointments/42/token` → `{ id: '42' }`), added as a read-only property.
 */
export type FetchRouteRequest = Request & { readonly params: RouteParams }

/**
 * A token route of the app's own shape: method (lower case), path (with `:param` segments), input and answers.
 * `input` and `respond` get the `Request` with its `params`; `respond` gets the token with the provider's types for
 * the route's kind (a call route: `callId`, `role` and the call's `connect`).
 */
export type FetchTokenRoute<P extends CallTokenProvider = CallTokenProvider, Kind extends TokenKind = TokenKind> = TokenRouteSpec<FetchRouteRequest, P, Kind>

type Run<Req> = (request: TokenHttpRequest<Req>) => Promise<TokenHttpResponse>

/** A route that matched: its body (refused past the limit, in the route's error shape), its client key, the pipeline. */
async function serve<Req extends Request>(
  handler: TokenHandler<Req>,
  settings: BindingSettings,
  spec: TokenRouteSpec<Req> | undefined,
  req: Req,
  hostArgs: unknown[],
  run: Run<Req>,
): Promise<Response> {
  const body = await readBody(req)
  if (body === TOO_LARGE) return toResponse(await handler.errorResponse(bodyTooLarge(BODY_LIMIT_BYTES), spec, req))
  const clientIp = settings.clientKey?.(req, ...hostArgs)
  return toResponse(await run({ headers: headersOf(req), ...(clientIp ? { clientIp } : {}), ...body, req }))
}

/** The path below the prefix, or undefined when the URL is outside it. */
function pathBelow(prefix: string, url: string): string | undefined {
  const { pathname } = new URL(url)
  if (!pathname.startsWith(prefix)) return undefined
  const rest = pathname.slice(prefix.length)
  return rest.startsWith('/') ? rest : undefined
}

/** Another path or method: undefined with `fallthrough`, else a 404 in the standard envelope. */
async function notFound(handler: Pick<TokenHandler<never>, 'errorResponse'>, settings: BindingSettings, request: Request): Promise<Response | undefined> {
  if (settings.fallthrough) return undefined
  const error = new CallTokenError('ERR_CALLTOKEN_NOT_FOUND', `No token route answers ${request.method} ${new URL(request.url).pathname}`)
  return toResponse(await handler.errorResponse(error))
}

/**
 * `POST {prefix}/tokens/user`, `/tokens/call` and `/tokens/refresh` (not with `refresh: false`) as one fetch
 * handler, `(request) => Promise<Response>`, for any runtime or framework on the Fetch API: Hono, Next.js route
 * handlers, Bun.serve, Deno.serve, Cloudflare Workers. It reads the body itself (16 KiB at most), so nothing
 * should read it before. Any other path or method is a `404` in the routes' envelope, or `undefined` with
 * `fallthrough: true`. An error that is not a `CallTokenError` (your `authenticate` failing) rejects the promise,
 * for the host's error handling to answer.
 *
 * @throws ERR_CALLTOKEN_INVALID_CONFIG when the options are incomplete or inconsistent (checked now, at start-up).
 * @example
 * const handler = createFetchHandler({
 *   prefix: '/api',
 *   provider: stream({ apiKey, apiSecret }),
 *   authenticate: bearerJwt({ secret }),
 *   clientKey: (request) => request.headers.get('cf-connecting-ip'), // Cloudflare: the client's IP
 * })
 * export default { fetch: handler } // a Worker; or Bun.serve({ fetch: handler }), Deno.serve(handler)
 */
export function createFetchHandler<P extends CallTokenProvider, HostArgs extends unknown[] = [], Fallthrough extends boolean = false>(
  options: FetchCallTokenOptions<P, HostArgs, Fallthrough>,
): FetchHandler<HostArgs, Fallthrough> {
  const handler = createTokenHandler<CallTokenProvider, Request>(options as FetchCallTokenOptions)
  const settings = bindingSettings(options as FetchCallTokenOptions<CallTokenProvider, unknown[], boolean>)
  const routes = new Map<string, Run<Request>>()
  for (const { route, path } of TOKEN_ROUTES) {
    if (handler.routes.includes(route)) routes.set(path, handler.builtInRoute(route))
  }
  const fetchHandler = async (request: Request, ...hostArgs: unknown[]) => {
    const path = request.method === 'POST' ? pathBelow(settings.prefix, request.url) : undefined
    const run = path === undefined ? undefined : routes.get(path)
    if (!run) return notFound(handler, settings, request)
    return serve(handler, settings, undefined, request, hostArgs, run)
  }
  return fetchHandler as FetchHandler<HostArgs, Fallthrough>
}

/**
 * One token route of the app's own shape, with the same options and pipeline as the built-in ones, as a fetch
 * handler: it answers `spec.method` on `{prefix}{spec.path}`, whose `:param` segments `input` reads as
 * `req.params`. Anything else is a `404` (or `undefined` with `fallthrough: true`), as with `createFetchHandler`.
 *
 * @throws ERR_CALLTOKEN_INVALID_CONFIG for a wrong option or route spec, or a path with syntax other than `:param`.
 * @example
 * const appointmentToken = createFetchTokenRoute(options, {
 *   name: 'appointment', kind: 'call', method: 'get', path: '/appointments/:id/token',
 *   input: async ({ req, principal }) => ({ userId: principal!.userId, callId: await roomOf(req.params.id) }),
 *   respond: (issued) => ({ access_token: issued.token, room_name: issued.callId }),
 * })
 */
export function createFetchTokenRoute<P extends CallTokenProvider, Kind extends TokenKind, HostArgs extends unknown[] = [], Fallthrough extends boolean = false>(
  options: FetchCallTokenOptions<P, HostArgs, Fallthrough>,
  spec: FetchTokenRoute<P, Kind>,
): FetchHandler<HostArgs, Fallthrough> {
  const handler = createTokenHandler<CallTokenProvider, FetchRouteRequest>(options as FetchCallTokenOptions)
  const settings = bindingSettings(options as FetchCallTokenOptions<CallTokenProvider, unknown[], boolean>)
  const route = spec as FetchTokenRoute
  handler.prepareRoute(route)
  const method = route.method.toUpperCase()
  const match = pathMatcher(route.name, route.path)
  const run: Run<FetchRouteRequest> = (request) => handler.handleRoute(route, request)
  const fetchHandler = async (request: Request, ...hostArgs: unknown[]) => {
    const path = request.method === method ? pathBelow(settings.prefix, request.url) : undefined
    const params = path === undefined ? undefined : match(path)
    if (!params) return notFound(handler, settings, request)
    const req = Object.defineProperty(request, 'params', { value: params, configurable: true }) as FetchRouteRequest
    return serve(handler, settings, route, req, hostArgs, run)
  }
  return fetchHandler as FetchHandler<HostArgs, Fallthrough>
}
