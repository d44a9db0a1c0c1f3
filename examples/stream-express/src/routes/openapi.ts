import { ERROR_STATUS, type CallTokenErrorCode, type CallTokenProvider } from '@calltoken/core'
import { openApiDocument } from '@calltoken/express'
import express, { type Router } from 'express'
import { ANONYMOUS_ROLES, policy } from '../policy'

type Json = Record<string, unknown>

const NO_STORE = { 'Cache-Control': { $ref: '#/components/headers/NoStore' } }
const RATE_LIMIT = { RateLimit: { $ref: '#/components/headers/RateLimit' }, 'RateLimit-Policy': { $ref: '#/components/headers/RateLimitPolicy' } }
const codesOf = (status: number) => (Object.keys(ERROR_STATUS) as CallTokenErrorCode[]).filter((code) => ERROR_STATUS[code] === status)
const json = (schema: Json) => ({ 'application/json': { schema } })

/** The signed-in user's token route's error answer: `{ success: false, message, code }`. */
function streamError(description: string, codes: readonly string[], example: string, headers: Json = {}): Json {
  return {
    description,
    headers: { ...NO_STORE, ...headers },
    content: json({
      type: 'object',
      required: ['success', 'message', 'code'],
      properties: { success: { const: false }, message: { type: 'string', examples: [example] }, code: { type: 'string', enum: [...codes] } },
    }),
  }
}

/** POST /api/v1/stream/token (the signed-in user's token), on the library's pipeline in the original API's envelope. */
const streamToken: Json = {
  post: {
    operationId: 'streamToken',
    summary: 'A Stream user token for the signed-in user',
    description: 'The user is the bearer token\'s, never the body\'s: a body is read (a JSON object, at most 16 KiB) and ignored.',
    security: [{ bearerAuth: [] }],
    requestBody: { required: false, content: json({ $ref: '#/components/schemas/StreamTokenRequest' }) },
    responses: {
      200: {
        description: 'The token',
        headers: { ...NO_STORE, ...RATE_LIMIT },
        content: json({ $ref: '#/components/schemas/StreamTokenResponse' }),
      },
      400: streamError('A body that is not JSON', codesOf(400), 'Malformed JSON body'),
      401: streamError('No valid session JWT of an existing user', ['ERR_CALLTOKEN_UNAUTHENTICATED'], 'User not authenticated', {
        'WWW-Authenticate': { description: 'The scheme to sign in with (RFC 6750)', required: true, schema: { type: 'string', const: 'Bearer' } },
      }),
      413: streamError('A body over 16 KiB', codesOf(413), 'Request body is larger than 16384 bytes'),
      415: streamError('A body whose Content-Type is not application/json', codesOf(415), 'Content-Type must be application/json'),
      422: streamError('A body that is not a JSON object, or a signed-in user whose id Stream does not accept', codesOf(422), 'Validation failed: userId may only contain letters, digits, @, _ and -'),
      429: streamError('Too many token requests: retry after Retry-After seconds', codesOf(429), 'Too many token requests; retry after the number of seconds in Retry-After', {
        ...RATE_LIMIT,
        'Retry-After': { $ref: '#/components/headers/RetryAfter' },
      }),
      500: streamError('Stream signing or the database failed (the cause is logged, redacted)', [...codesOf(500), 'ERR_INTERNAL'], 'Failed to generate video call token'),
    },
  },
}

const health: Json = {
  get: {
    operationId: 'health',
    summary: 'Database reachable and provider configured (for load balancers)',
    security: [],
    responses: {
      200: { description: 'Healthy', headers: NO_STORE, content: json({ $ref: '#/components/schemas/Health' }) },
      503: { description: 'The database is unreachable', headers: NO_STORE, content: json({ $ref: '#/components/schemas/Health' }) },
    },
  },
}

const openApi: Json = {
  get: {
    operationId: 'openApi',
    summary: 'This document',
    security: [],
    responses: { 200: { description: 'The OpenAPI 3.1 document of this app', content: json({ type: 'object', description: 'An OpenAPI 3.1 document' }) } },
  },
}

const schemas: Json = {
  StreamTokenRequest: {
    type: 'object',
    description: 'Optional, and ignored: any fields (a userId too) change nothing',
    additionalProperties: true,
    examples: [{}],
  },
  StreamTokenResponse: {
    type: 'object',
    required: ['success', 'data', 'message'],
    properties: {
      success: { const: true },
      data: {
        type: 'object',
        required: ['token', 'userId', 'expiresAt'],
        properties: { token: { type: 'string' }, userId: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } },
      },
      message: { const: 'Token generated successfully' },
    },
  },
  Health: {
    type: 'object',
    required: ['status', 'database', 'provider'],
    properties: {
      status: { type: 'string', enum: ['ok', 'unavailable'] },
      database: {
        type: 'object',
        required: ['ok', 'driver'],
        properties: { ok: { type: 'boolean' }, driver: { type: 'string', enum: ['pglite', 'postgres'] } },
      },
      provider: {
        type: 'object',
        required: ['id', 'configured', 'demoCredentials'],
        properties: {
          id: { type: 'string', examples: ['stream'] },
          configured: { type: 'boolean' },
          demoCredentials: { type: 'boolean', description: 'True when the app runs on the documented fake credentials' },
        },
      },
    },
  },
  /** What app.ts's last error handler answers, e.g. when the database fails during authentication. */
  InternalError: {
    type: 'object',
    required: ['success', 'error'],
    properties: { success: { const: false }, error: { const: 'Internal server error' } },
  },
}

/** The library's token routes under /api, plus every other route this app serves (see app.ts). */
export function apiDocument(provider: CallTokenProvider, authenticated: boolean): Json {
  const document = openApiDocument({
    provider,
    policy,
    prefix: '/api',
    authenticated,
    anonymousRoles: ANONYMOUS_ROLES,
    title: 'stream-express token API',
    paths: { '/api/health': health, '/api/openapi.json': openApi, '/api/v1/stream/token': streamToken },
    schemas,
  })
  const paths = document.paths as Record<string, { post?: { responses: Record<string, { content: Record<string, { schema: Json }> }> } }>
  // A failure outside the library's pipeline (the users table unreadable in authenticate) reaches app.ts's handler.
  for (const path of ['/api/tokens/user', '/api/tokens/call', '/api/tokens/refresh']) {
    const media = paths[path]?.post?.responses['500']?.content['application/json']
    if (media) media.schema = { anyOf: [media.schema, { $ref: '#/components/schemas/InternalError' }] }
  }
  const components = document.components as Json
  // The signed-in user's token route always takes a session JWT, also when the library's routes are anonymous.
  return { ...document, components: { ...components, securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } } }
}

export function openApiRoute(provider: CallTokenProvider, authenticated: boolean): Router {
  const document = apiDocument(provider, authenticated)
  const router = express.Router()
  router.get('/openapi.json', (_req, res) => {
    res.json(document)
  })
  return router
}
