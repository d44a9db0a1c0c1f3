import type { TokenSource } from './index'

/** What calltoken's Twilio routes answer beside the token: `createTokenSource<TwilioConnect>(…)`. */
export interface TwilioConnect {
  /** The participant identity in the token (the userId). */
  readonly identity: string
  /** The room the token is for; absent when it allows any room. */
  readonly roomName?: string
}

/** What `Video.connect(token, { name: roomName })` needs. */
export interface TwilioConnectArgs {
  readonly token: string
  readonly roomName?: string
  readonly identity?: string
  readonly expiresAt: Date
}

/**
 * A new token for one `Video.connect`. Twilio Video cannot take a new token inside a room: the room keeps the one
 * it connected with, and reconnects after a network loss with it, failing with 20104 once it has expired. So every
 * connect gets a freshly minted token (the longest reconnect window), never a cached one.
 *
 * @example
 * const { token, roomName } = await twilioToken(source)
 * const room = await Video.connect(token, { name: roomName })
 */
export async function twilioToken(source: Pick<TokenSource<object>, 'refresh'>): Promise<TwilioConnectArgs> {
  const { token, expiresAt, roomName, identity } = (await source.refresh()) as { token: string; expiresAt: Date; roomName?: string; identity?: string }
  return { token, roomName, identity, expiresAt }
}

/**
 * `twilioConnect(source, Video.connect, { audio: true })`: connects with a fresh token to the token's room (or
 * `options.name`). When the room disconnects with error 20104 (its token expired), connect again the same way.
 *
 * @example
 * const room = await twilioConnect(source, Video.connect, { audio: true, video: { width: 640 } })
 */
export async function twilioConnect<
  Room,
  Options extends {
    /** The room to join. Default: the token's own room. */
    name?: string | null
  },
>(
  source: Pick<TokenSource<object>, 'refresh'>,
  connect: (token: string, options?: Options) => PromiseLike<Room>,
  options?: NoInfer<Options>,
): Promise<Room> {
  const { token, roomName } = await twilioToken(source)
  const name = options?.name ?? roomName
  return connect(token, (name === undefined ? options : { ...options, name }) as Options)
}
