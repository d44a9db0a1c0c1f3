import type { IdentifierRule } from '../identifiers'
import { toPolicy, type Policy, type PolicyOptions } from '../policy'
import type { CallTokenProvider } from '../provider'
import { effectiveRange } from '../validity'
import { TOKEN_ROUTES } from './handler'

export interface OpenApiOptions {
  provider: CallTokenProvider
  policy?: Policy | PolicyOptions
  /** Whether the routes are behind `authenticate` (bearer auth in the document). Default true. */
  authenticated?: boolean
  /** Where the routes are mounted, e.g. '/api'. Default ''. */
  prefix?: string
  title?: string
  version?: string
}

type JsonSchema = Record<string, unknown>

function identifier(rule: IdentifierRule, description: string): JsonSchema {
  // JSON Schema counts characters, not bytes: a byte limit bounds the length too (exactly, for ASCII-only patterns).
  const maxLength = Math.min(rule.maxLength ?? Infinity, rule.maxBytes ?? Infinity)
  return {
    type: 'string',
    minLength: 1,
    description,
    ...(maxLength === Infinity ? {} : { maxLength }),
    ...(rule.pattern ? { pattern: rule.pattern.source } : {}),
  }
}

/** An OpenAPI 3.1 document for the token routes as these options configure them. */
export function openApiDocument(options: OpenApiOptions): Record<string, unknown> {
  const { provider, authenticated = true, title = 'calltoken token routes', version = '1.0.0' } = options
  const prefix = (options.prefix ?? '').replace(/\/+$/, '')
  const policy = toPolicy(options.policy)
  const range = effectiveRange(policy, provider.id, provider.limits)
  const { limits } = provider
  const validity = {
    type: 'integer',
    minimum: range.minSeconds,
    maximum: range.maxSeconds,
    default: range.defaultSeconds,
    description: 'Token validity in seconds',
  }
  const userId = identifier(limits.userId, authenticated ? 'Defaults to the authenticated user' : 'The user the token is for')
  const callId = identifier(limits.callId, 'The call (room, channel) the token is for')
  const callType = limits.callType ? { callType: { ...identifier(limits.callType, 'Call type'), default: 'default' } } : {}
  const role = { type: 'string', enum: [...policy.roles], default: policy.defaultRole }

  const schemas: Record<string, JsonSchema> = {
    UserTokenRequest: {
      type: 'object',
      additionalProperties: false,
      ...(authenticated ? {} : { required: ['userId'] }),
      properties: { userId, validityInSeconds: validity, callId, ...callType },
      ...(limits.callType ? { dependentRequired: { callType: ['callId'] } } : {}),
    },
    CallTokenRequest: {
      type: 'object',
      additionalProperties: false,
      required: authenticated ? ['callId'] : ['userId', 'callId'],
      properties: { userId, callId, ...callType, role, validityInSeconds: validity },
    },
    RefreshTokenRequest: {
      type: 'object',
      additionalProperties: false,
      required: ['token'],
      properties: { token: { type: 'string', description: 'A still-valid token from these routes' } },
    },
    TokenResponse: {
      type: 'object',
      required: ['success', 'data'],
      properties: {
        success: { const: true },
        data: {
          type: 'object',
          required: ['token', 'userId', 'validityInSeconds', 'expiresAt'],
          properties: {
            token: { type: 'string' },
            userId: { type: 'string' },
            callId: { type: 'string' },
            ...(limits.callType ? { callType: { type: 'string' } } : {}),
            role: { type: 'string' },
            validityInSeconds: { type: 'integer' },
            expiresAt: { type: 'string', format: 'date-time' },
          },
          additionalProperties: { description: `What the ${provider.id} client SDK needs to connect` },
        },
      },
    },
    ErrorResponse: {
      type: 'object',
      required: ['success', 'error', 'code'],
      properties: {
        success: { const: false },
        error: { type: 'string', examples: ['Validation failed: callId is required'] },
        code: { type: 'string', pattern: '^ERR_CALLTOKEN_' },
        issues: {
          type: 'array',
          items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
  }

  const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } } })
  const requestSchema = { user: 'UserTokenRequest', call: 'CallTokenRequest', refresh: 'RefreshTokenRequest' } as const
  const summary = { user: 'A user token (optionally for one call)', call: 'A token for one call, with a role', refresh: 'A fresh token for a still-valid one' } as const

  const paths = Object.fromEntries(
    TOKEN_ROUTES.map(({ route, path }) => [
      `${prefix}${path}`,
      {
        post: {
          operationId: `${route}Token`,
          summary: summary[route],
          ...(authenticated ? { security: [{ bearerAuth: [] }] } : {}),
          requestBody: { required: route !== 'user', content: { 'application/json': { schema: { $ref: `#/components/schemas/${requestSchema[route]}` } } } },
          responses: {
            200: {
              description: 'The token',
              headers: { 'Cache-Control': { schema: { const: 'no-store' } } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/TokenResponse' } } },
            },
            400: error('Malformed JSON'),
            401: error(route === 'refresh' ? 'Not authenticated, or the token is expired, foreign or tampered with' : 'Not authenticated'),
            403: error('Forbidden'),
            413: error('Body over 16 KiB'),
            415: error('Content-Type is not application/json'),
            422: error('Validation failed'),
            429: { ...error('Rate limited'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
            500: error('The provider could not sign the token'),
          },
        },
      },
    ]),
  )

  return {
    openapi: '3.1.0',
    info: { title, version, description: `Video-call tokens for ${provider.id}, served by calltoken.` },
    paths,
    components: {
      schemas,
      ...(authenticated ? { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } } : {}),
    },
  }
}
