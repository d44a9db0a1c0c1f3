import type { ClientToken, TokenSource } from './index'

/** What calltoken's Zoom routes answer beside the token: `createTokenSource<ZoomConnect>(…)`. */
export interface ZoomConnect {
  /** The session name (`tpc`): Zoom refuses a join under any other name. */
  readonly sessionName: string
  /** The user key in the token (the userId). */
  readonly userKey: string
}

/** The part of the Zoom Video SDK client (`ZoomVideo.createClient()`) the join uses. */
export interface ZoomClientLike {
  join(topic: string, token: string, userName: string, sessionPassword?: string, sessionIdleTimeoutMins?: number): PromiseLike<unknown>
}

export interface ZoomJoinOptions {
  /** The name shown to the others. */
  readonly userName: string
  /** The session's password, when it has one. */
  readonly sessionPassword?: string
  /** Minutes an idle session lasts (Zoom's default 40). */
  readonly sessionIdleTimeoutMins?: number
}

/**
 * Joins a Zoom Video SDK session with a freshly minted token, under the session name the token holds (`tpc`, which
 * must match exactly). Zoom checks the token only at the join, so each join gets a new one, never a cached one that
 * may be about to expire. Rejects as `client.join` does.
 *
 * @example
 * const client = ZoomVideo.createClient()
 * await client.init('en-US', 'Global', { patchJsMedia: true })
 * await zoomJoin(source, client, { userName: 'Ada' })
 */
export async function zoomJoin(source: Pick<TokenSource<object>, 'refresh'>, client: ZoomClientLike, options: ZoomJoinOptions): Promise<unknown> {
  const { token, sessionName } = (await source.refresh()) as ClientToken<ZoomConnect>
  if (!sessionName) throw new Error('zoomJoin: the token answer has no sessionName (is the route a Zoom one?)')
  return client.join(sessionName, token, options.userName, options.sessionPassword, options.sessionIdleTimeoutMins)
}
