import { configError } from '../errors'
import { toPolicy, type Policy, type PolicyOptions } from '../policy'
import type { CallTokenProvider } from '../types'
import { effectiveRange } from '../validity'
import { TOKEN_ROUTES } from './handler'
import { errorAnswers, errorResponse, HEADERS, NO_STORE_HEADER, RATE_LIMIT_HEADERS } from './openapi-responses'
import { tokenSchemas } from './openapi-schemas'
import { clientInputOf } from './route-options'

export interface OpenApiOptions {
  /**
   * The adapter the routes mint with: its identifier rules and validity range become the schemas.
   */
  provider: CallTokenProvider
  /**
   * The routes' policy (roles and validity range). Default: `definePolicy()`.
   */
  policy?: Policy | PolicyOptions
  /** Whether the routes are behind `authenticate` (bearer auth in the document). Default true. */
  authenticated?: boolean
  /** Where the routes are mounted, e.g. '/api'. Default ''. */
  prefix?: string
  /**
   * The document's `info.title`. Default 'calltoken token routes'.
   */
  title?: string
  /**
   * The document's `info.version`. Default '1.0.0'.
   */
  version?: string
  /** The document's servers. Default `[{ url: '/' }]`: the origin the document is served from (paths carry `prefix`). */
  servers?: readonly { readonly url: string; readonly description?: string }[]
  /** With `authenticated: false`: the roles an anonymous call token may have. Default: only the policy's default role. */
  anonymousRoles?: readonly string[]
  /** Whether the refresh route (and `refreshToken` in answers) is served. Default true. */
  refresh?: boolean
  /** The routes' `clientExtras`: the extras fields a client may send. Default: none. */
  clientExtras?: readonly string[]
  /** The routes' `clientCallIds`: whether /tokens/call takes `callIds`. Default false. */
  clientCallIds?: boolean
  /** The app's own path items, documented next to the token routes; one that collides with a token route is refused. */
  paths?: Record<string, unknown>
  /** The app's own schemas (components.schemas), for its `paths` to reference; a name the token routes use is refused. */
  schemas?: Record<string, unknown>
}

type Json = Record<string, unknown>

const SUMMARY = { user: 'A user token (optionally for one call)', call: 'A token for one call, with a role', refresh: 'The same token again, before it expires' } as const
const REQUEST_SCHEMA = { user: 'UserTokenRequest', call: 'CallTokenRequest', refresh: 'RefreshTokenRequest' } as const

const withoutKey = (record: Json, key: string): Json => Object.fromEntries(Object.entries(record).filter(([k]) => k !== key))
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Path segments for comparison: case-insensitive, no empty segments (Express matches `/a/` as `/a`). */
const segments = (path: string) => path.toLowerCase().split('/').filter(Boolean)
const isTemplate = (segment: string) => /^\{[^}]+\}$/.test(segment)

/** Whether a request to `ours` could match the app's `theirs` (a `{param}` segment matches any). */
function collides(theirs: string, ours: string): boolean {
  const a = segments(theirs)
  const b = segments(ours)
  return a.length === b.length && a.every((segment, i) => segment === b[i] || isTemplate(segment))
}

function checkServers(servers: NonNullable<OpenApiOptions['servers']>): { url: string; description?: string }[] {
  if (!Array.isArray(servers) || servers.length === 0) throw configError('openApiDocument: servers must be a non-empty list of { url, description? }')
  return servers.map((server, i) => {
    if (!isRecord(server) || typeof server.url !== 'string' || server.url === '') throw configError(`openApiDocument: servers[${i}].url must be a non-empty string`)
    if (server.description !== undefined && typeof server.description !== 'string') throw configError(`openApiDocument: servers[${i}].description must be a string`)
    return { url: server.url, ...(server.description === undefined ? {} : { description: server.description }) }
  })
}

function anonymousRolesOf(policy: Policy, roles: readonly string[] | undefined): readonly string[] {
  if (roles === undefined) return [policy.defaultRole]
  if (!Array.isArray(roles) || roles.length === 0) throw configError('openApiDocument: anonymousRoles must be a non-empty list of the policy\'s roles')
  const unknown = roles.filter((role) => !policy.roles.includes(role))
  if (unknown.length > 0) throw configError(`openApiDocument: anonymousRoles ${unknown.map((r) => `"${r}"`).join(', ')} not in the policy (${policy.roles.join(', ')})`)
  return policy.roles.filter((role) => roles.includes(role)) // in the policy's order
}

/**
 * An OpenAPI 3.1 document for the token routes as these options configure them, plus the app's own `paths`.
 *
 * @throws ERR_CALLTOKEN_INVALID_CONFIG when the options do not fit the policy or a path clashes with the token routes.
 * @example
 * app.get('/openapi.json', (req, res) => res.json(openApiDocument({ provider, policy, prefix: '/api', title: 'Video API' })))
 */
export function openApiDocument(options: OpenApiOptions): Json {
  const { provider, authenticated = true, refresh = true, title = 'calltoken token routes', version = '1.0.0' } = options
  const prefix = (options.prefix ?? '').replace(/\/+$/, '')
  const policy = toPolicy(options.policy)
  const range = effectiveRange(policy, provider.id, provider.limits)
  const servers = checkServers(options.servers ?? [{ url: '/' }])
  const roles = authenticated ? policy.roles : anonymousRolesOf(policy, options.anonymousRoles)
  const routes = TOKEN_ROUTES.filter(({ route }) => refresh || route !== 'refresh')
  const refreshPath = refresh ? `${prefix}${TOKEN_ROUTES.find(({ route }) => route === 'refresh')!.path}` : undefined

  const client = clientInputOf(options, provider)
  const schemas: Json = tokenSchemas({ provider, policy, range, authenticated, roles, refreshPath, client })
  const paths: Json = {}
  for (const { route, path } of routes) {
    const answers = Object.entries(errorAnswers(route, authenticated)).map(([status, answer]) => [status, errorResponse(answer)])
    paths[`${prefix}${path}`] = {
      post: {
        operationId: `${route}Token`,
        summary: SUMMARY[route],
        ...(authenticated ? {} : { security: [] }),
        requestBody: { required: route !== 'user', content: { 'application/json': { schema: { $ref: `#/components/schemas/${REQUEST_SCHEMA[route]}` } } } },
        responses: {
          200: {
            description: route === 'refresh' ? 'A token of the same scope, with a new expiry' : 'The token',
            headers: { ...NO_STORE_HEADER, ...RATE_LIMIT_HEADERS },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/TokenResponse' } } },
          },
          ...Object.fromEntries(answers),
        },
      },
    }
  }

  for (const [path, item] of Object.entries(options.paths ?? {})) {
    if (!path.startsWith('/') || !isRecord(item)) throw configError(`openApiDocument: paths["${path}"] must be a path item object under a path starting with /`)
    const taken = Object.keys(paths).find((ours) => collides(path, ours))
    if (taken) throw configError(`openApiDocument: paths["${path}"] collides with the token route POST ${taken}`)
    paths[path] = item
  }
  for (const [name, schema] of Object.entries(options.schemas ?? {})) {
    if (Object.hasOwn(schemas, name)) throw configError(`openApiDocument: schemas["${name}"] is a name the token routes use`)
    if (!isRecord(schema) && typeof schema !== 'boolean') throw configError(`openApiDocument: schemas["${name}"] must be a schema`)
    schemas[name] = schema
  }

  return {
    openapi: '3.1.0',
    info: {
      title,
      version,
      description: `Video-call tokens for ${provider.id}, served by calltoken.`,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers,
    ...(authenticated ? { security: [{ bearerAuth: [] }] } : {}),
    paths,
    components: {
      schemas,
      // The challenge header is a 401's, and only authenticated routes answer 401 UNAUTHENTICATED.
      headers: structuredClone(authenticated ? HEADERS : withoutKey(HEADERS, 'WwwAuthenticate')),
      ...(authenticated ? { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } } : {}),
    },
  }
}
