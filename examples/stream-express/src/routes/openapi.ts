import type { CallTokenProvider } from '@calltoken/core'
import { openApiDocument } from '@calltoken/express'
import express, { type Router } from 'express'
import { policy } from '../policy'

type Json = Record<string, unknown>

/** The library's document for /api/tokens/*, plus this app's own routes (seed 002 and the health check). */
export function apiDocument(provider: CallTokenProvider, authenticated: boolean): Json {
  const base = openApiDocument({ provider, policy, prefix: '/api', authenticated, title: 'stream-express token API' })
  const components = (base.components ?? {}) as Json
  const errorBody = (example: string) => ({
    type: 'object',
    required: ['success', 'message'],
    properties: { success: { const: false }, message: { type: 'string', examples: [example] }, code: { type: 'string' } },
  })
  const error = (description: string, example: string) => ({ description, content: { 'application/json': { schema: errorBody(example) } } })
  return {
    ...base,
    paths: {
      ...(base.paths as Json),
      '/api/v1/stream/token': {
        post: {
          operationId: 'streamToken',
          summary: 'A Stream user token for the signed-in user (seed 002)',
          security: [{ bearerAuth: [] }],
          responses: {
            200: {
              description: 'The token',
              headers: { 'Cache-Control': { schema: { const: 'no-store' } } },
              content: {
                'application/json': {
                  schema: {
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
                },
              },
            },
            400: error('A body that is not JSON (any body is ignored, but must parse)', 'Malformed JSON body'),
            401: error('Not authenticated', 'User not authenticated'),
            413: error('A body over 16 KiB', 'Request body is larger than 16384 bytes'),
            429: { ...error('Rate limited', 'Too many token requests'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
            500: error('The token could not be generated', 'Failed to generate video call token'),
          },
        },
      },
      '/api/health': {
        get: {
          operationId: 'health',
          summary: 'Database reachable and provider configured',
          responses: { 200: { description: 'Healthy' }, 503: { description: 'The database is unreachable' } },
        },
      },
    },
    components: {
      ...components,
      securitySchemes: { ...(components.securitySchemes as Json | undefined), bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  }
}

export function openApiRoute(provider: CallTokenProvider, authenticated: boolean): Router {
  const document = apiDocument(provider, authenticated)
  const router = express.Router()
  router.get('/openapi.json', (_req, res) => {
    res.json(document)
  })
  return router
}
