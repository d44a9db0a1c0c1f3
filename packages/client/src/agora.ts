import type { ClientToken, TokenSource } from './index'

/** What calltoken's Agora RTC routes answer beside the token: `createTokenSource<AgoraConnect>(…)`. */
export interface AgoraConnect {
  readonly service: 'rtc' | 'rtm'
  readonly appId: string
  /** RTC: the channel (the callId). */
  readonly channelName?: string
  /** RTC with `userIdAs: 'uid'`: join with this uid (0 lets Agora pick). */
  readonly uid?: number
  /** RTC with `userIdAs: 'account'`: join with this user account. */
  readonly account?: string
}

/** The part of agora-rtc-sdk-ng's IAgoraRTCClient the renewal uses (the real client fits). */
export interface AgoraRtcClientLike {
  /** Renewals are skipped while DISCONNECTED (not joined yet, or thrown out: then did-expire rejoins). */
  readonly connectionState?: string
  on(event: 'token-privilege-will-expire' | 'token-privilege-did-expire', listener: () => void): void
  off(event: string, listener: () => void): void
  renewToken(token: string): Promise<void>
  join(appId: string, channel: string, token: string | null, uid?: string | number | null): Promise<unknown>
}

export interface AgoraRenewalOptions {
  /**
   * After `token-privilege-did-expire` Agora has left the channel and must join again. Default: `client.join` with
   * the token's appId, channelName and uid/account. Give your own to republish tracks after the join.
   */
  readonly rejoin?: (token: ClientToken<AgoraConnect>) => unknown
  /** Renewal failures (a refused session, a failing renewToken). Default console.error. */
  readonly onError?: (error: unknown) => void
}

/**
 * Keeps a joined Agora Web RTC client's token fresh: every token the source refreshes goes to `client.renewToken`
 * before Agora warns (not while the client is DISCONNECTED); `token-privilege-will-expire` (30 s left: the source
 * could not refresh in time) asks the source for a new token, which goes the same way; `token-privilege-did-expire`
 * (Agora left the channel) gets a new token and joins again with it.
 * Call it after `client.join(…)` with the source's first token. Returns a function that unwires everything.
 *
 * @example
 * const first = await source.get()
 * await client.join(first.connect.appId, first.connect.channelName, first.token, first.connect.account)
 * const unwire = agoraRenewal(source, client)
 * // on leave: unwire(); source.stop()
 */
export function agoraRenewal(source: Pick<TokenSource<object>, 'refresh' | 'subscribe'>, client: AgoraRtcClientLike, options: AgoraRenewalOptions = {}): () => void {
  const report = options.onError ?? ((error: unknown) => console.error(error))
  // Every new token reaches the client through the subscription, including those the events below ask for.
  const renew = (token: ClientToken<object>) => {
    if (client.connectionState !== 'DISCONNECTED' && client.connectionState !== 'DISCONNECTING') client.renewToken(token.token).catch(report)
  }
  const willExpire = () => void source.refresh().catch(report)
  const didExpire = () =>
    void source
      .refresh()
      .then(async (fresh) => {
        const token = fresh as ClientToken<AgoraConnect>
        if (options.rejoin) return options.rejoin(token)
        if (!token.appId || !token.channelName) throw new Error('agoraRenewal: the token has no appId and channelName to join with; pass rejoin')
        return client.join(token.appId, token.channelName, token.token, token.uid ?? token.account ?? null)
      })
      .catch(report)
  const unsubscribe = source.subscribe(renew, report)
  client.on('token-privilege-will-expire', willExpire)
  client.on('token-privilege-did-expire', didExpire)
  return () => {
    unsubscribe()
    client.off('token-privilege-will-expire', willExpire)
    client.off('token-privilege-did-expire', didExpire)
  }
}

/** The part of agora-rtm's RTMClient (Signaling 2.x) the renewal uses (the real client fits). */
export interface AgoraRtmClientLike {
  renewToken(token: string): Promise<unknown>
  addEventListener(event: 'tokenPrivilegeWillExpire', listener: (channelName: string) => void): void
  removeEventListener(event: 'tokenPrivilegeWillExpire', listener: (channelName: string) => void): void
}

/**
 * Keeps a logged-in Agora RTM (Signaling) client's login token fresh: every token the source refreshes goes to
 * `rtm.renewToken`, and `tokenPrivilegeWillExpire` for the login (an empty channel name: the source could not
 * refresh in time) asks the source for one now. A stream channel's own token (the event names the channel) is an
 * RTC token for that channel, not this source's, and is left to its own source. Returns a function that unwires it.
 *
 * @example
 * const rtmSource = createTokenSource<AgoraConnect>({ url: '/api/tokens/user', headers })
 * const { token, appId, userId } = await rtmSource.get()
 * const rtm = new AgoraRTM.RTM(appId, userId!)
 * await rtm.login({ token })
 * const unwire = agoraRtmRenewal(rtmSource, rtm)
 */
export function agoraRtmRenewal(source: Pick<TokenSource<object>, 'refresh' | 'subscribe'>, rtm: AgoraRtmClientLike, options: Pick<AgoraRenewalOptions, 'onError'> = {}): () => void {
  const report = options.onError ?? ((error: unknown) => console.error(error))
  const willExpire = (channelName: string) => {
    if (!channelName) source.refresh().catch(report)
  }
  const unsubscribe = source.subscribe((token) => void rtm.renewToken(token.token).catch(report), report)
  rtm.addEventListener('tokenPrivilegeWillExpire', willExpire)
  return () => {
    unsubscribe()
    rtm.removeEventListener('tokenPrivilegeWillExpire', willExpire)
  }
}
