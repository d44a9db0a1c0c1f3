import type { ClientToken, TokenSource } from './index'

/** What calltoken's LiveKit routes answer beside the token: `createTokenSource<LiveKitConnect>(…)`. */
export interface LiveKitConnect {
  /** The participant identity in the token (the userId). */
  readonly identity: string
  /** The adapter's `serverUrl` (`wss://…livekit.cloud`), when the server set one. */
  readonly serverUrl?: string
  /** The room the token is for; absent on a token for no room. */
  readonly roomName?: string
}

/** What livekit-client's token sources answer (its `TokenSourceResponseObject`). */
export interface LiveKitConnectionDetails {
  readonly serverUrl: string
  readonly participantToken: string
}

/** A token source in livekit-client's shape (a `TokenSourceFixed`): `fetch()` → `{ serverUrl, participantToken }`. */
export interface LiveKitTokenSource {
  fetch(): Promise<LiveKitConnectionDetails>
}

/**
 * The source as a livekit-client `TokenSource` (fixed: the room and identity are the route's), for anything that
 * takes one, such as `useSession` in @livekit/components-react. Each `fetch()` is the source's `get()`: its cache,
 * refreshed ahead of expiry. LiveKit checks a token only when connecting, and hands a connected participant fresh
 * ones itself, so a token is needed once per connect.
 *
 * @example
 * const tokenSource = liveKitTokenSource(createTokenSource<LiveKitConnect>({ url: '/api/tokens/call', body: { callId: 'standup' }, headers }))
 * const { serverUrl, participantToken } = await tokenSource.fetch()
 * await new Room().connect(serverUrl, participantToken)
 */
export function liveKitTokenSource(
  source: Pick<TokenSource<object>, 'get'>,
  options: {
    /** The server to connect to, instead of the token answer's `serverUrl`. */
    readonly serverUrl?: string
  } = {},
): LiveKitTokenSource {
  return {
    fetch: async () => {
      const token = (await source.get()) as ClientToken<LiveKitConnect>
      const serverUrl = options.serverUrl ?? token.serverUrl
      if (!serverUrl) throw new Error('liveKitTokenSource: the token answer has no serverUrl (set serverUrl on the livekit adapter, or pass { serverUrl })')
      return { serverUrl, participantToken: token.token }
    },
  }
}

/**
 * `liveKitConnect(source, room)`: connects a livekit-client Room with the source's token, to the server the token
 * answer names (or `options.serverUrl`). Rejects as `room.connect` does.
 *
 * @example
 * const room = new Room()
 * await liveKitConnect(source, room, { autoSubscribe: true })
 */
export async function liveKitConnect<Options>(
  source: Pick<TokenSource<object>, 'get'>,
  room: { connect(url: string, token: string, options?: Options): Promise<void> },
  options?: Options & {
    /** The server to connect to, instead of the token answer's `serverUrl`; not passed on to `room.connect`. */
    readonly serverUrl?: string
  },
): Promise<void> {
  const { serverUrl: url, ...connectOptions } = options ?? ({} as Options & { serverUrl?: string })
  const { serverUrl, participantToken } = await liveKitTokenSource(source, { serverUrl: url }).fetch()
  return room.connect(serverUrl, participantToken, options === undefined ? undefined : (connectOptions as Options))
}
