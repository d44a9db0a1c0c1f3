import { agora } from '@calltoken/agora'
import { createTokenService, definePolicy } from '@calltoken/core'
import { FIXED_NOW_MS, FIXED_NOW_S, fixedClock } from '@calltoken/test-kit'
import { inflateSync } from 'node:zlib'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAgora } from '../src/agora'
import { APP_CERTIFICATE, APP_ID } from './fixtures'
import { oracleRead, RtcRole, RtcTokenBuilder, RtmTokenBuilder } from './oracle'

const SALT = 4242
const validity = 3600
const channel = 'team meeting #7'
const now = fixedClock()
// No clock skew, so our issue time equals agora-token's "now".
const policy = definePolicy({ clockSkewSeconds: 0, roles: { viewer: ['join-call'] } })

/** agora-token reads the real clock and Math.random; pin both so it mints at FIXED_NOW with SALT. */
function pinAgoraToken() {
  vi.useFakeTimers({ toFake: ['Date'], now: FIXED_NOW_MS })
  // salt = floor(random * 99999999) + 1
  vi.spyOn(Math, 'random').mockReturnValue((SALT - 0.5) / 99_999_999)
}

const withoutSalt = (token: string) => {
  const view = oracleRead(token, APP_CERTIFICATE)
  expect(view, 'agora-token could not parse the token').toBeDefined()
  const { salt: _salt, ...rest } = view!
  return rest
}

/** Our token carries the same signed bytes as agora-token's, compressed by our deflater rather than zlib. */
function expectSameToken(ours: string, theirs: string) {
  const content = (token: string) => inflateSync(Buffer.from(token.slice(3), 'base64'))
  expect(ours.slice(0, 3)).toBe('007')
  expect(content(ours)).toEqual(content(theirs))
}

describe('our tokens and agora-token builders agree (same input, fixed clock)', () => {
  afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
  })

  const cases = [
    { name: 'account, publisher', userIdAs: 'account', userId: 'alice@example.com', role: 'member', agoraRole: RtcRole.PUBLISHER },
    { name: 'account, subscriber', userIdAs: 'account', userId: 'bob', role: 'viewer', agoraRole: RtcRole.SUBSCRIBER },
    { name: 'uid, publisher', userIdAs: 'uid', userId: '2882341273', role: 'admin', agoraRole: RtcRole.PUBLISHER },
    { name: 'uid, subscriber', userIdAs: 'uid', userId: '1', role: 'viewer', agoraRole: RtcRole.SUBSCRIBER },
  ] as const

  for (const c of cases) {
    it(`call token (${c.name}) decodes like buildToken${c.userIdAs === 'uid' ? 'WithUid' : 'WithUserAccount'}, and is the same token with its salt`, async () => {
      const ours = await createTokenService({ provider: agora({ appId: APP_ID, appCertificate: APP_CERTIFICATE, userIdAs: c.userIdAs }), policy, now })
        .createCallToken({ userId: c.userId, callId: channel, role: c.role, validityInSeconds: validity })
      const pinned = await createTokenService({ provider: createAgora({ appId: APP_ID, appCertificate: APP_CERTIFICATE, userIdAs: c.userIdAs }, () => SALT), policy, now })
        .createCallToken({ userId: c.userId, callId: channel, role: c.role, validityInSeconds: validity })

      pinAgoraToken()
      const theirs =
        c.userIdAs === 'uid'
          ? RtcTokenBuilder.buildTokenWithUid(APP_ID, APP_CERTIFICATE, channel, Number(c.userId), c.agoraRole, validity, validity)
          : RtcTokenBuilder.buildTokenWithUserAccount(APP_ID, APP_CERTIFICATE, channel, c.userId, c.agoraRole, validity, validity)

      expect(withoutSalt(ours.token)).toEqual(withoutSalt(theirs))
      expect(withoutSalt(ours.token)).toMatchObject({ appId: APP_ID, issueTs: FIXED_NOW_S, expire: validity, verified: true })
      expectSameToken(pinned.token, theirs)
    })
  }

  it('user token without callId decodes like RtmTokenBuilder.buildToken, and is the same token with its salt', async () => {
    const input = { userId: 'alice', validityInSeconds: validity }
    const ours = await createTokenService({ provider: agora({ appId: APP_ID, appCertificate: APP_CERTIFICATE }), policy, now }).createUserToken(input)
    const pinned = await createTokenService({ provider: createAgora({ appId: APP_ID, appCertificate: APP_CERTIFICATE }, () => SALT), policy, now }).createUserToken(input)

    pinAgoraToken()
    const theirs = RtmTokenBuilder.buildToken(APP_ID, APP_CERTIFICATE, 'alice', validity)

    expect(withoutSalt(ours.token)).toEqual(withoutSalt(theirs))
    expect(withoutSalt(ours.token)).toMatchObject({ rtc: [], rtm: [{ userId: 'alice', privileges: { 1: validity } }], verified: true })
    expectSameToken(pinned.token, theirs)
    expect(ours.connect).toEqual({ service: 'rtm', appId: APP_ID, userId: 'alice' })
  })

  it('user token with callId decodes like buildTokenWithUserAccount as PUBLISHER', async () => {
    const pinned = await createTokenService({ provider: createAgora({ appId: APP_ID, appCertificate: APP_CERTIFICATE }, () => SALT), policy, now })
      .createUserToken({ userId: 'alice', callId: channel, validityInSeconds: validity })
    pinAgoraToken()
    expectSameToken(pinned.token, RtcTokenBuilder.buildTokenWithUserAccount(APP_ID, APP_CERTIFICATE, channel, 'alice', RtcRole.PUBLISHER, validity, validity))
  })
})

describe('timing against agora-token (default 5 s clock skew)', () => {
  it('issueTs is backdated, expire is lengthened by the same amount, and token and privileges end at now + validity', async () => {
    const issued = await createTokenService({ provider: agora({ appId: APP_ID, appCertificate: APP_CERTIFICATE }), now }).createCallToken({
      userId: 'alice',
      callId: channel,
      role: 'member',
      validityInSeconds: 600,
    })
    const view = oracleRead(issued.token, APP_CERTIFICATE)!
    expect(view.issueTs).toBe(FIXED_NOW_S - 5)
    expect(view.expire).toBe(605)
    expect(view.issueTs + view.expire).toBe(issued.expiresAt.getTime() / 1000)
    expect(view.rtc[0]!.privileges).toEqual({ 1: 605, 2: 605, 3: 605, 4: 605 })
  })

  it('the salt is random per token and in agora-token’s range', async () => {
    const service = createTokenService({ provider: agora({ appId: APP_ID, appCertificate: APP_CERTIFICATE }), now })
    const salts = new Set<number>()
    for (let i = 0; i < 50; i++) {
      const view = oracleRead((await service.createCallToken({ userId: 'alice', callId: channel })).token, APP_CERTIFICATE)!
      expect(view.salt).toBeGreaterThanOrEqual(1)
      expect(view.salt).toBeLessThanOrEqual(99_999_999)
      salts.add(view.salt)
    }
    expect(salts.size).toBeGreaterThan(45)
  })
})

describe('the token forms of agora-token builders: RTC + RTM in one token, and shorter privileges', () => {
  afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
  })
  const pinned = (options: Record<string, unknown>) =>
    createTokenService({ provider: createAgora({ appId: APP_ID, appCertificate: APP_CERTIFICATE, ...options }, () => SALT), policy, now })

  it('rtm: true is buildTokenWithRtm: RTC with the role, RTM login for the same user ending with the token', async () => {
    for (const [role, agoraRole] of [['member', RtcRole.PUBLISHER], ['viewer', RtcRole.SUBSCRIBER]] as const) {
      const ours = await pinned({ rtm: true }).createCallToken({ userId: 'alice', callId: channel, role, validityInSeconds: validity })
      pinAgoraToken()
      const theirs = RtcTokenBuilder.buildTokenWithRtm(APP_ID, APP_CERTIFICATE, channel, 'alice', agoraRole, validity, validity)
      vi.useRealTimers()
      expectSameToken(ours.token, theirs)
      const view = oracleRead(ours.token, APP_CERTIFICATE)!
      expect(view.verified).toBe(true)
      expect(view.rtm).toEqual([{ userId: 'alice', privileges: { 1: validity } }])
      expect(ours.connect).toEqual({ service: 'rtc', appId: APP_ID, channelName: channel, account: 'alice', rtmUserId: 'alice' })
    }
  })

  it('privilegeSeconds is privilegeExpire: the RTC privileges end first, the token (and its RTM login) later', async () => {
    for (const rtm of [false, true]) {
      const ours = await pinned({ rtm, privilegeSeconds: 900 }).createCallToken({ userId: 'alice', callId: channel, validityInSeconds: validity })
      pinAgoraToken()
      const theirs = rtm
        ? RtcTokenBuilder.buildTokenWithRtm(APP_ID, APP_CERTIFICATE, channel, 'alice', RtcRole.PUBLISHER, validity, 900)
        : RtcTokenBuilder.buildTokenWithUserAccount(APP_ID, APP_CERTIFICATE, channel, 'alice', RtcRole.PUBLISHER, validity, 900)
      vi.useRealTimers()
      expectSameToken(ours.token, theirs)
      expect(oracleRead(ours.token, APP_CERTIFICATE)!.rtc[0]!.privileges).toEqual({ 1: 900, 2: 900, 3: 900, 4: 900 })
    }
    // Never longer than the token: a 600 s token with privilegeSeconds 900 ends its privileges with the token.
    const short = await pinned({ privilegeSeconds: 900 }).createCallToken({ userId: 'alice', callId: channel, validityInSeconds: 600 })
    expect(oracleRead(short.token, APP_CERTIFICATE)!.rtc[0]!.privileges).toEqual({ 1: 600, 2: 600, 3: 600, 4: 600 })
  })

  it('refuses a bad rtm or privilegeSeconds, rtm with the any-uid wildcard, and RTM-invalid user ids with rtm', async () => {
    for (const options of [{ rtm: 'yes' }, { privilegeSeconds: 0 }, { privilegeSeconds: 86_401 }, { privilegeSeconds: 1.5 }, { userIdAs: 'uid', allowAnyUid: true, rtm: true }]) {
      expect(() => agora({ appId: APP_ID, appCertificate: APP_CERTIFICATE, ...options } as never)).toThrow(/rtm|privilegeSeconds/)
    }
    const service = createTokenService({ provider: agora({ appId: APP_ID, appCertificate: APP_CERTIFICATE, rtm: true }), now })
    await expect(service.createCallToken({ userId: ' alice', callId: channel })).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_INPUT' })
    await expect(service.createCallToken({ userId: 'a'.repeat(64), callId: channel })).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_INPUT' })
  })
})
