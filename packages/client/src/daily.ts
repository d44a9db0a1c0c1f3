import type { ClientToken, TokenSource } from './index'

/** What calltoken's Daily routes answer beside the token: `createTokenSource<DailyConnect>(…)`. */
export interface DailyConnect {
  /** The room (`r`). */
  readonly roomName: string
  /** The user id in the token (the userId). */
  readonly userId: string
  /** `https://<domain>.daily.co/<room>`, when the adapter has a domainName. */
  readonly roomUrl?: string
}

/** The part of a daily-js call object (`Daily.createCallObject()` or `createFrame()`) the join uses. */
export interface DailyCallLike<Properties extends { url?: string; token?: string }> {
  join(properties?: Properties): Promise<unknown>
}

/**
 * Joins a Daily call with a freshly minted meeting token, at the room URL the token answer names (or
 * `properties.url`). Daily checks the token at the join, so each join gets a new one; its expiry (and
 * `ejectAtExpiry`, set by the server) bounds the stay. Other join properties pass through. Rejects as `join` does.
 *
 * @example
 * const call = Daily.createCallObject()
 * await dailyJoin(source, call, { userName: 'Ada', startVideoOff: true })
 */
export async function dailyJoin<Properties extends { url?: string; token?: string }>(
  source: Pick<TokenSource<object>, 'refresh'>,
  call: DailyCallLike<Properties>,
  properties?: Omit<Properties, 'token'>,
): Promise<unknown> {
  const { token, roomUrl } = (await source.refresh()) as ClientToken<DailyConnect>
  const url = properties?.url ?? roomUrl
  if (!url) throw new Error('dailyJoin: no room URL (set domainName on the daily adapter, or pass { url })')
  return call.join({ ...properties, url, token } as Properties)
}
