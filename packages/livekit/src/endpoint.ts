import { CallTokenError, type CallTokenIssue } from '@calltoken/core'
import type { TokenRouteInput, TokenRouteSpec } from '@calltoken/core/http'
import type { LiveKitExtras, LiveKitRoomConfig } from './extras'
import type { LiveKitProvider } from './livekit'

/** The body fields of LiveKit's endpoint a client may set only when the app allows it (each becomes an extra). */
export type LiveKitEndpointField = 'participant_name' | 'participant_metadata' | 'participant_attributes' | 'room_config'

export interface LiveKitEndpointOptions {
  /** Where the route is mounted, relative to the binding. Default `/tokens/livekit`. */
  readonly path?: string
  /** The route's name in rate limits, `authorize` and `onIssued`. Default `livekit`. */
  readonly name?: string
  /**
   * The fields a client may set beyond `room_name` and `participant_identity`; any other one is refused with 422,
   * as LiveKit asks of an endpoint ("if a given field shouldn't be configurable, return a 4xx"). Default none.
   */
  readonly clientFields?: readonly LiveKitEndpointField[]
}

/** LiveKit's endpoint answer: what `TokenSource.endpoint(url)` in livekit-client reads. */
export interface LiveKitEndpointAnswer {
  readonly server_url: string
  readonly participant_token: string
}

const EXTRA_OF: Readonly<Record<LiveKitEndpointField, keyof LiveKitExtras>> = {
  participant_name: 'name',
  participant_metadata: 'metadata',
  participant_attributes: 'attributes',
  room_config: 'roomConfig',
}
const FIELDS = new Set(['room_name', 'participant_identity', ...Object.keys(EXTRA_OF)])

/**
 * A token route in LiveKit's standard endpoint shape, so livekit-client's own `TokenSource.endpoint(url)` (and every
 * LiveKit client SDK's endpoint source) works against it unchanged: `POST { room_name, participant_identity?, … }`
 * → `201 { server_url, participant_token }`. Mount it with your binding's custom-route function; it runs the same
 * authentication, rate limit, `authorize`, policy and `onIssued` as the built-in routes.
 *
 * `room_name` is the call; `participant_identity` is the user id (the principal's when absent: asking for another
 * identity needs the same right as on /tokens/call). The other fields become extras, and only those named in
 * `clientFields`. `server_url` is the adapter's `serverUrl`, which this route therefore needs. LiveKit's endpoint has
 * no refresh token: the client asks again, and each request is judged afresh.
 *
 * @example
 * import { createTokenRoute } from '@calltoken/express'
 * app.use('/api', createTokenRoute(options, liveKitTokenEndpoint({ clientFields: ['participant_name'] })))
 * // browser: const source = TokenSource.endpoint('/api/tokens/livekit', { headers: { authorization } })
 * //          const { serverUrl, participantToken } = await source.fetch({ roomName: 'standup' })
 */
export function liveKitTokenEndpoint<Req = unknown>(options: LiveKitEndpointOptions = {}): TokenRouteSpec<Req, LiveKitProvider, 'call'> {
  const allowed = new Set<string>(options.clientFields ?? [])
  for (const field of allowed) {
    if (!(field in EXTRA_OF)) throw new CallTokenError('ERR_CALLTOKEN_INVALID_CONFIG', `liveKitTokenEndpoint: clientFields: "${field}" is not one of ${Object.keys(EXTRA_OF).join(', ')}`)
  }
  return {
    name: options.name ?? 'livekit',
    kind: 'call',
    method: 'post',
    path: options.path ?? '/tokens/livekit',
    status: 201,
    input: ({ body, principal }) => endpointInput(body as Record<string, unknown>, principal?.userId, allowed),
    respond: ({ token, connect }) => {
      if (connect.serverUrl === undefined) {
        throw new CallTokenError('ERR_CALLTOKEN_INVALID_CONFIG', 'liveKitTokenEndpoint needs the adapter\'s serverUrl (livekit({ …, serverUrl: process.env.LIVEKIT_URL })): it answers server_url')
      }
      return { server_url: connect.serverUrl, participant_token: token } satisfies LiveKitEndpointAnswer
    },
  }
}

function endpointInput(body: Record<string, unknown>, principalId: string | undefined, allowed: ReadonlySet<string>): TokenRouteInput {
  const issues: CallTokenIssue[] = []
  for (const field of Object.keys(body)) {
    if (!FIELDS.has(field)) issues.push({ path: field, message: `${field} is not a field of LiveKit's token endpoint` })
    else if (field in EXTRA_OF && !allowed.has(field)) issues.push({ path: field, message: `${field} is set by the server; a client may not send it` })
  }
  const { room_name, participant_identity } = body
  if (typeof room_name !== 'string') issues.push({ path: 'room_name', message: 'room_name is required and must be a string' })
  const userId = participant_identity ?? principalId
  if (typeof userId !== 'string') issues.push({ path: 'participant_identity', message: 'participant_identity is required and must be a string' })
  if (issues.length > 0) throw new CallTokenError('ERR_CALLTOKEN_INVALID_INPUT', `Validation failed: ${issues.map((i) => i.message).join('; ')}`, { issues })

  const extras: Record<string, unknown> = {}
  for (const [field, extra] of Object.entries(EXTRA_OF)) {
    // The adapter's own checks judge the values (types, sizes), as for extras on /tokens/call.
    if (body[field] !== undefined) extras[extra] = field === 'room_config' ? camelCased(body[field]) : body[field]
  }
  return { userId: userId as string, callId: room_name as string, ...(Object.keys(extras).length > 0 ? { extras: extras as TokenRouteInput['extras'] } : {}) }
}

/**
 * livekit-client sends room_config with protobuf field names (`agents: [{ agent_name }]`); tokens carry the JSON names
 * (`agentName`). Both are valid protobuf JSON, so either is read. Values are left as they are.
 */
function camelCased(value: unknown): LiveKitRoomConfig | unknown {
  if (Array.isArray(value)) return value.map(camelCased)
  if (typeof value !== 'object' || value === null) return value
  const out: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value)) {
    const name = key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())
    // tags and attributes are maps: their keys are data, not field names.
    // defineProperty: a "__proto__" key stays a key (refused by the adapter's checks), never a prototype.
    Object.defineProperty(out, name, { value: name === 'tags' || name === 'attributes' ? inner : camelCased(inner), enumerable: true, writable: true, configurable: true })
  }
  return out
}
