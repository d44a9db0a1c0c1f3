import type { Policy } from '../policy'
import type { CallTokenProvider, IdentifierRule } from '../types'
import type { ValidityRange } from '../validity'
import { ISSUE_SCHEMA } from './openapi-responses'
import { REFRESH_TOKEN_MAX_LENGTH } from './refresh-token'
import type { ClientInput } from './route-options'

type Json = Record<string, unknown>

// A validity at or above this is a timestamp passed by mistake (see validitySchema); a clamping policy takes the rest.
const LARGEST_VALIDITY = 999_999_999

function identifier(rule: IdentifierRule, description: string): Json {
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

export interface SchemaContext {
  readonly provider: CallTokenProvider
  readonly policy: Policy
  readonly range: ValidityRange
  readonly authenticated: boolean
  /** The roles a call token may be asked for (all the policy's, or the anonymous ones). */
  readonly roles: readonly string[]
  readonly refreshPath: string | undefined
  /** What a client may send beyond the core fields. */
  readonly client: ClientInput
}

/**
 * The request and response schemas. Request schemas state their defaults in `description`, never as `default`:
 * generators such as openapi-typescript make a property with a default required in their output types.
 */
export function tokenSchemas({ provider, policy, range, authenticated, roles, refreshPath, client }: SchemaContext): Record<string, Json> {
  const { limits } = provider
  const validity = {
    type: 'integer',
    ...(range.clamp
      ? { minimum: 1, maximum: LARGEST_VALIDITY, description: `Token validity in seconds, clamped into ${range.minSeconds}..${range.maxSeconds}. Default: ${range.defaultSeconds}` }
      : { minimum: range.minSeconds, maximum: range.maxSeconds, description: `Token validity in seconds. Default: ${range.defaultSeconds}` }),
  }
  const userId = identifier(limits.userId, authenticated ? 'The user the token is for. Default: the authenticated user' : 'The user the token is for')
  const callId = identifier(limits.callId, 'The call (room, channel) the token is for')
  const callType = limits.callType ? { callType: identifier(limits.callType, 'The call type. Default: default') } : {}
  const extras =
    client.extras.size === 0
      ? {}
      : {
          extras: {
            type: 'object',
            additionalProperties: false,
            description: `${provider.id} token options a client may set (checked by the adapter)`,
            properties: Object.fromEntries([...client.extras].map((name) => [name, {}])),
          },
        }
  const callIds = client.callIds
    ? {
        callIds: {
          type: 'array',
          minItems: 1,
          maxItems: limits.maxCallsPerToken,
          uniqueItems: true,
          items: callId,
          description: 'Several calls of one call type, instead of callId',
        },
      }
    : {}
  const role = {
    type: 'string',
    enum: [...roles],
    description: `The call role${authenticated ? ' (one of the caller\'s own roles, or the default)' : ''}. Default: ${policy.defaultRole}`,
  }

  return {
    UserTokenRequest: {
      type: 'object',
      additionalProperties: false,
      // Zoom's and Daily's user tokens are always for one call.
      ...(limits.userTokenNeedsCall
        ? { required: authenticated ? ['callId'] : ['userId', 'callId'] }
        : authenticated
          ? {}
          : { required: ['userId'] }),
      properties: { userId, validityInSeconds: validity, callId, ...callType, ...extras },
      ...(limits.callType ? { dependentRequired: { callType: ['callId'] } } : {}),
    },
    CallTokenRequest: {
      type: 'object',
      additionalProperties: false,
      // With callIds: exactly one of callId and callIds.
      ...(client.callIds
        ? { ...(authenticated ? {} : { required: ['userId'] }), oneOf: [{ required: ['callId'] }, { required: ['callIds'] }] }
        : { required: authenticated ? ['callId'] : ['userId', 'callId'] }),
      properties: { userId, callId, ...callIds, ...callType, role, validityInSeconds: validity, ...extras },
    },
    ...(refreshPath === undefined
      ? {}
      : {
          RefreshTokenRequest: {
            type: 'object',
            additionalProperties: false,
            required: ['refreshToken'],
            properties: {
              refreshToken: { type: 'string', maxLength: REFRESH_TOKEN_MAX_LENGTH, description: 'The `refreshToken` of an earlier answer of these routes' },
            },
          },
        }),
    TokenResponse: {
      type: 'object',
      required: ['success', 'data'],
      properties: {
        success: { const: true },
        data: {
          type: 'object',
          required: ['token', 'userId', 'validityInSeconds', 'expiresAt'],
          properties: {
            token: { type: 'string', description: `The ${provider.id} token` },
            userId: { type: 'string' },
            callId: { type: 'string' },
            ...(client.callIds ? { callIds: { type: 'array', items: { type: 'string' }, description: 'Every call of a token for several calls (callId is the first)' } } : {}),
            ...(limits.callType ? { callType: { type: 'string' } } : {}),
            role: { type: 'string', description: 'The call role (call tokens only)' },
            validityInSeconds: { type: 'integer' },
            expiresAt: { type: 'string', format: 'date-time' },
            ...(refreshPath === undefined
              ? {}
              : {
                  refreshToken: {
                    type: 'string',
                    description: `Opaque. POST it to ${refreshPath} before expiresAt to get a token of the same scope again; refused after the session deadline. Absent when refresh is off.`,
                  },
                }),
          },
          additionalProperties: { description: `What the ${provider.id} client SDK needs to connect` },
        },
      },
    },
    Issue: structuredClone(ISSUE_SCHEMA),
  }
}
