import { ERROR_STATUS, type CallTokenErrorCode } from '../errors'
import type { TokenRouteKind } from './types'

type Json = Record<string, unknown>

/** Reusable header objects (components.headers); every one of them is referenced by some response. */
export const HEADERS: Record<string, Json> = {
  NoStore: { description: 'Tokens are credentials: no cache may keep a copy', required: true, schema: { type: 'string', const: 'no-store' } },
  RateLimit: {
    description: 'The caller\'s quota on this route (IETF RateLimit fields, draft 7); absent when rate limiting is off',
    schema: { type: 'string', examples: ['limit=60, remaining=59, reset=60'] },
  },
  RateLimitPolicy: {
    description: 'The route\'s limit: requests per window of w seconds; absent when rate limiting is off',
    schema: { type: 'string', examples: ['60;w=60'] },
  },
  RetryAfter: { description: 'Seconds until the limit resets', required: true, schema: { type: 'integer', minimum: 0 } },
  RetryAfterUnavailable: { description: 'Seconds to wait before asking again; sent when the rate-limit store is unavailable', schema: { type: 'integer', minimum: 0 } },
  WwwAuthenticate: {
    description: 'The scheme to authenticate with (RFC 6750), and why presented credentials were refused; sent when `authenticate` names a challenge (bearerJwt does)',
    schema: { type: 'string', examples: ['Bearer', 'Bearer error="invalid_token", error_description="The token expired"'] },
  },
}

const header = (name: keyof typeof HEADERS & string) => ({ $ref: `#/components/headers/${name}` })

/** The rate-limit headers every answer that passed the limiter carries. */
export const RATE_LIMIT_HEADERS = { RateLimit: header('RateLimit'), 'RateLimit-Policy': header('RateLimitPolicy') }
export const NO_STORE_HEADER = { 'Cache-Control': header('NoStore') }

/** `{ success: false, error, code, issues? }` with `code` one of `codes`. */
export function errorEnvelope(codes: readonly CallTokenErrorCode[], example: string): Json {
  return {
    type: 'object',
    required: ['success', 'error', 'code'],
    properties: {
      success: { const: false },
      error: { type: 'string', description: 'What went wrong, for people', examples: [example] },
      code: { type: 'string', enum: [...codes], description: 'What went wrong, for programs' },
      issues: { type: 'array', description: 'Field-level problems (validation errors)', items: { $ref: '#/components/schemas/Issue' } },
    },
  }
}

export const ISSUE_SCHEMA: Json = {
  type: 'object',
  required: ['path', 'message'],
  properties: { path: { type: 'string', examples: ['callId'] }, message: { type: 'string', examples: ['callId is required'] } },
}

/** Every code of one HTTP status, from ERROR_STATUS (the one code → status map). */
export function codesOf(status: number): CallTokenErrorCode[] {
  return (Object.keys(ERROR_STATUS) as CallTokenErrorCode[]).filter((code) => ERROR_STATUS[code] === status)
}

interface ErrorAnswer {
  readonly description: string
  readonly codes: readonly CallTokenErrorCode[]
  readonly example: string
  readonly headers?: Json
}

/** The error answers of one built-in route, by status: each documents the codes this route can answer with. */
export function errorAnswers(route: TokenRouteKind, authenticated: boolean): Record<string, ErrorAnswer> {
  const answers: Record<string, ErrorAnswer> = {
    400: { description: 'The body is not JSON (or names a forbidden key)', codes: ['ERR_CALLTOKEN_MALFORMED_BODY'], example: 'Malformed JSON body' },
  }
  const unauthenticated: CallTokenErrorCode[] = authenticated ? ['ERR_CALLTOKEN_UNAUTHENTICATED'] : []
  if (route === 'refresh') {
    answers[401] = {
      description: `${authenticated ? 'Not authenticated, or the' : 'The'} refresh token is invalid, tampered with or expired (past its session deadline too): sign in again`,
      codes: [...unauthenticated, 'ERR_CALLTOKEN_INVALID_TOKEN', 'ERR_CALLTOKEN_TOKEN_EXPIRED'],
      example: 'The token has expired',
      ...(authenticated ? { headers: { 'WWW-Authenticate': header('WwwAuthenticate') } } : {}),
    }
  } else if (authenticated) {
    answers[401] = {
      description: 'Not authenticated: no credentials, or refused ones',
      codes: unauthenticated,
      example: 'Authentication required',
      headers: { 'WWW-Authenticate': header('WwwAuthenticate') },
    }
  }
  answers[403] = {
    description:
      route === 'user'
        ? 'Not allowed: a token in another user\'s name, or refused by the app\'s `authorize`'
        : route === 'call'
          ? 'Not allowed: another user\'s name, a role the caller does not hold, or refused by the app\'s `authorize`'
          : 'Not allowed: another user\'s refresh token, or refused by the app\'s `authorize`',
    codes: route === 'user' ? ['ERR_CALLTOKEN_FORBIDDEN'] : codesOf(403),
    example: 'Forbidden: you may only ask for tokens in your own name',
  }
  answers[413] = { description: 'The body is over 16 KiB', codes: codesOf(413), example: 'Request body is larger than 16384 bytes' }
  answers[415] = { description: 'A body whose Content-Type is not application/json', codes: codesOf(415), example: 'Content-Type must be application/json' }
  answers[422] = {
    description: route === 'refresh' ? 'The body is not `{ refreshToken }`' : 'Validation failed: see `issues`',
    codes: codesOf(422),
    example: route === 'refresh' ? 'Validation failed: refreshToken is required' : 'Validation failed: callId is required',
  }
  answers[429] = {
    description: 'Too many token requests: retry after Retry-After seconds',
    codes: codesOf(429),
    example: 'Too many token requests; retry after the number of seconds in Retry-After',
    headers: { ...RATE_LIMIT_HEADERS, 'Retry-After': header('RetryAfter') },
  }
  answers[500] = { description: 'The provider could not sign the token, or the routes are misconfigured', codes: codesOf(500), example: 'The provider failed to sign the token' }
  answers[503] = {
    description: `Unavailable for now: the rate-limit store is not answering (the routes fail closed)${authenticated ? ', or authentication is (the key set could not be fetched)' : ''}; retry after Retry-After seconds`,
    codes: authenticated ? codesOf(503) : ['ERR_CALLTOKEN_RATE_LIMIT_UNAVAILABLE'],
    example: 'Token requests cannot be counted right now (the rate-limit store is not answering); retry after the number of seconds in Retry-After',
    headers: { 'Retry-After': header('RetryAfterUnavailable') },
  }
  return answers
}

/** An answer as an OpenAPI response object: the envelope, no-store and the answer's own headers. */
export function errorResponse({ description, codes, example, headers }: ErrorAnswer): Json {
  return {
    description,
    headers: { ...NO_STORE_HEADER, ...headers },
    content: { 'application/json': { schema: errorEnvelope(codes, example) } },
  }
}
