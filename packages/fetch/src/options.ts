import type { CallTokenProvider } from '@calltoken/core'
import type { CallTokenRouteOptions } from '@calltoken/core/http'
import { configError } from '@calltoken/core/provider'

/**
 * What the fetch binding adds to the routes' options: where they are mounted, the rate-limit key of a request
 * without a principal, and what to do with a request for another path.
 *
 * `HostArgs` are the arguments the host passes after the `Request` (Deno.serve's `info`, Bun.serve's `server`,
 * a Worker's `env` and `ctx`, Hono's context when you pass it): the handler takes them and hands them to
 * `clientKey`, so the client's address can come from wherever the runtime keeps it. `Fallthrough` is the type of
 * `fallthrough`, inferred, so that the handler's answer is typed `Response | undefined` only with `true`.
 */
export interface FetchBindingOptions<HostArgs extends unknown[] = [], Fallthrough extends boolean = false> {
  /**
   * Where the routes are mounted: the URL's path must start with it, and the rest is matched against the routes'
   * paths (`/tokens/user`…). `''` (the default) mounts them at the root; `'/api'` serves `POST /api/tokens/user`.
   * It starts with `/`; a trailing `/` is dropped.
   */
  readonly prefix?: string
  /**
   * The rate-limit key of a request without a principal (anonymous, or refused credentials): usually the client's
   * IP, which a `Request` does not carry (`request.headers.get('cf-connecting-ip')` on Workers,
   * `server.requestIP(request)?.address` on Bun, `info.remoteAddr.hostname` on Deno). An IPv6 address counts by its
   * /56, any other string as it is. It receives the request and whatever the host passed after it. Without it, or
   * when it returns nothing, every such request shares one budget per route (`'unknown'`): still limited, never
   * unlimited, but one client can use up that budget for all the others.
   */
  readonly clientKey?: (request: Request, ...hostArgs: HostArgs) => string | null | undefined
  /**
   * What a request for another path or method gets. `false` (the default): a `404` in the routes' JSON envelope
   * (`ERR_CALLTOKEN_NOT_FOUND`), so the handler can be a whole server. `true`: `undefined`, so a host router
   * (Hono, a Next.js catch-all, your own `fetch`) can go on to its other routes; the handler's type then says
   * `Promise<Response | undefined>`.
   */
  readonly fallthrough?: Fallthrough
}

/**
 * The options of `createFetchHandler` and `createFetchTokenRoute`: the routes' options (`authenticate`,
 * `authorize` and `onIssued` receive the `Request` as `req`) and the binding's own (`prefix`, `clientKey`,
 * `fallthrough`).
 */
export type FetchCallTokenOptions<P extends CallTokenProvider = CallTokenProvider, HostArgs extends unknown[] = [], Fallthrough extends boolean = false> =
  CallTokenRouteOptions<P, Request> & FetchBindingOptions<HostArgs, Fallthrough>

/** The binding's options, checked: the prefix normalised. */
export interface BindingSettings {
  readonly prefix: string
  readonly clientKey: ((request: Request, ...hostArgs: unknown[]) => string | null | undefined) | undefined
  readonly fallthrough: boolean
}

/** Checks the binding's options at creation, so a mistake fails at start-up with a coded error naming it. */
export function bindingSettings(options: FetchBindingOptions<unknown[], boolean>): BindingSettings {
  const { prefix = '', clientKey, fallthrough = false } = options
  if (typeof prefix !== 'string' || (prefix !== '' && !prefix.startsWith('/')) || /[?#*:]/.test(prefix)) {
    throw configError(`options.prefix must be '' or a path starting with "/" (no params, query or wildcard), e.g. '/api'; got ${JSON.stringify(prefix)}`)
  }
  if (clientKey !== undefined && typeof clientKey !== 'function') throw configError('options.clientKey must be a function (request) => string | undefined')
  if (typeof fallthrough !== 'boolean') throw configError('options.fallthrough must be true or false')
  return { prefix: prefix.replace(/\/+$/, ''), clientKey, fallthrough }
}
