import { agora } from '@calltoken/agora'
import { createTokenService, definePolicy } from '@calltoken/core'
import { expectCallTokenError, FIXED_NOW_S, fixedClock } from '@calltoken/test-kit'
import { describe, expect, it } from 'vitest'
import { AGORA_89, APP_CERTIFICATE, APP_ID } from './fixtures'
import { oracleRead } from './oracle'

const now = fixedClock()
const credentials = { appId: APP_ID, appCertificate: APP_CERTIFICATE }
const policy = definePolicy({ roles: { viewer: ['join-call'], constructor: ['join-call', 'publish-audio'] } })
const accounts = createTokenService({ provider: agora(credentials), policy, now })
const uids = createTokenService({ provider: agora({ ...credentials, userIdAs: 'uid' }), policy, now })
const anyUid = createTokenService({ provider: agora({ ...credentials, userIdAs: 'uid', allowAnyUid: true }), policy, now })
const read = (token: string) => oracleRead(token, APP_CERTIFICATE)!

async function expectInvalid(action: () => Promise<unknown>, path: string) {
  const error = await expectCallTokenError(action, 'ERR_CALLTOKEN_INVALID_INPUT')
  expect(error.issues?.map((i) => i.path)).toContain(path)
  return error
}

describe("userIdAs: 'uid'", () => {
  it('"123" becomes the numeric uid 123: in the token, in connect and when decoded', async () => {
    const issued = await uids.createCallToken({ userId: '123', callId: 'room' })
    expect(issued.connect).toEqual({ service: 'rtc', appId: APP_ID, channelName: 'room', uid: 123 })
    expect(read(issued.token).rtc).toEqual([{ channel: 'room', uid: '123', privileges: expect.any(Object) }])
    expect(await uids.verifyToken(issued.token)).toMatchObject({ userId: '123', callId: 'room' })
  })

  it('accepts the largest uid, 4294967295', async () => {
    const issued = await uids.createCallToken({ userId: '4294967295', callId: 'room' })
    expect(issued.connect).toMatchObject({ uid: 4_294_967_295 })
    expect(read(issued.token).rtc[0]!.uid).toBe('4294967295')
  })

  for (const userId of ['-1', '1.5', '4294967296', '99999999999', 'abc', '0123', '00', '+1', ' 1', '1 ', '1e3', '0x10', 'NaN', 'Infinity', '１２３']) {
    it(`rejects ${JSON.stringify(userId)} with INVALID_INPUT`, async () => {
      await expectInvalid(() => uids.createCallToken({ userId, callId: 'room' }), 'userId')
      await expectInvalid(() => anyUid.createUserToken({ userId, callId: 'room' }), 'userId')
    })
  }

  it('rejects "0" unless allowAnyUid is set, and says why', async () => {
    const error = await expectInvalid(() => uids.createCallToken({ userId: '0', callId: 'room' }), 'userId')
    expect(error.message).toContain('wildcard')
    expect(error.message).toContain('allowAnyUid')
  })

  it('with allowAnyUid, "0" mints the any-uid wildcard (an empty uid in the token) and connect.uid 0', async () => {
    const issued = await anyUid.createCallToken({ userId: '0', callId: 'room' })
    expect(read(issued.token).rtc[0]!.uid).toBe('')
    expect(issued.connect).toMatchObject({ uid: 0 })
    expect((await anyUid.verifyToken(issued.token)).userId).toBe('0')
  })

  it('an RTM login (user token without callId) cannot use the wildcard uid', async () => {
    const error = await expectInvalid(() => anyUid.createUserToken({ userId: '0' }), 'userId')
    expect(error.message).toContain('RTM')
    const issued = await uids.createUserToken({ userId: '123' })
    expect(issued.connect).toEqual({ service: 'rtm', appId: APP_ID, userId: '123' })
    expect(read(issued.token).rtm).toEqual([{ userId: '123', privileges: { 1: 3605 } }])
  })
})

describe("userIdAs: 'account' (default)", () => {
  it('mints for the string account and returns it for joining with exactly that account', async () => {
    const issued = await accounts.createCallToken({ userId: 'alice@example.com', callId: 'room' })
    expect(issued.connect).toEqual({ service: 'rtc', appId: APP_ID, channelName: 'room', account: 'alice@example.com' })
    expect(read(issued.token).rtc[0]!.uid).toBe('alice@example.com')
  })

  it('accepts all 89 characters and 255 bytes; rejects 256 bytes', async () => {
    const all = await accounts.createCallToken({ userId: AGORA_89, callId: 'room' })
    expect(read(all.token).rtc[0]!.uid).toBe(AGORA_89)
    const longest = await accounts.createCallToken({ userId: 'a'.repeat(255), callId: 'room' })
    expect(read(longest.token).rtc[0]!.uid).toHaveLength(255)
    await expectInvalid(() => accounts.createCallToken({ userId: 'a'.repeat(256), callId: 'room' }), 'userId')
  })

  for (const userId of ['al/ice', 'a*b', 'a"b', "a'b", 'a`b', 'a\\b', 'a\tb', 'a\nb', 'é', '用户', 'a\u0000b']) {
    it(`rejects ${JSON.stringify(userId)} (outside the 89 characters)`, async () => {
      const error = await expectInvalid(() => accounts.createCallToken({ userId, callId: 'room' }), 'userId')
      expect(error.message).toContain('may only contain')
    })
  }

  it('an RTM login id must be under 64 bytes, not start with a space and not be "null"', async () => {
    await expectInvalid(() => accounts.createUserToken({ userId: 'a'.repeat(64) }), 'userId')
    await expectInvalid(() => accounts.createUserToken({ userId: ' alice' }), 'userId')
    await expectInvalid(() => accounts.createUserToken({ userId: 'null' }), 'userId')
    expect(read((await accounts.createUserToken({ userId: 'a'.repeat(63) })).token).rtm[0]!.userId).toHaveLength(63)
    // The same ids are fine as RTC accounts, so a user token for a call accepts them.
    expect((await accounts.createUserToken({ userId: 'a'.repeat(64), callId: 'room' })).connect).toMatchObject({ account: 'a'.repeat(64) })
  })
})

describe('channel = callId', () => {
  it('accepts all 89 characters and 63 bytes; rejects 64 bytes', async () => {
    for (const callId of [AGORA_89.slice(0, 63), AGORA_89.slice(63), 'c'.repeat(63)]) {
      const issued = await accounts.createCallToken({ userId: 'alice', callId })
      expect(read(issued.token).rtc[0]!.channel).toBe(callId)
      expect(issued.connect).toMatchObject({ channelName: callId })
    }
    await expectInvalid(() => accounts.createCallToken({ userId: 'alice', callId: 'c'.repeat(64) }), 'callId')
  })

  for (const callId of ['a/b', 'a*b', 'a"b', 'a\\b', 'a\tb', 'é', '😀', 'a\u0000b']) {
    it(`rejects ${JSON.stringify(callId)}`, async () => {
      await expectInvalid(() => accounts.createCallToken({ userId: 'alice', callId }), 'callId')
      await expectInvalid(() => accounts.createUserToken({ userId: 'alice', callId }), 'callId')
    })
  }

  it('a callType is rejected: Agora has none', async () => {
    await expectInvalid(() => accounts.createCallToken({ userId: 'alice', callId: 'room', callType: 'default' }), 'callType')
  })
})

describe('roles → privileges', () => {
  const privilegesOf = async (role: string, service = accounts) =>
    read((await service.createCallToken({ userId: 'alice', callId: 'room', role, validityInSeconds: 600 })).token).rtc[0]!.privileges

  it('roles that may publish get join + publish audio, video and data, each ending with the token', async () => {
    for (const role of ['admin', 'moderator', 'member', 'constructor']) {
      expect(await privilegesOf(role)).toEqual({ 1: 605, 2: 605, 3: 605, 4: 605 })
    }
  })

  it('a role that may not publish is a subscriber: join only', async () => {
    expect(await privilegesOf('viewer')).toEqual({ 1: 605 })
    expect(accounts.provider.decode((await accounts.createCallToken({ userId: 'alice', callId: 'room', role: 'viewer' })).token).providerRole).toBe('subscriber')
  })

  it('roleMap overrides per role, and its member entry sets the privileges of user tokens for a call', async () => {
    const provider = agora({ ...credentials, roleMap: { member: 'subscriber', viewer: 'publisher' } })
    const service = createTokenService({ provider, policy, now })
    expect(await privilegesOf('member', service)).toEqual({ 1: 605 })
    expect(await privilegesOf('viewer', service)).toEqual({ 1: 605, 2: 605, 3: 605, 4: 605 })
    expect(await privilegesOf('admin', service)).toEqual({ 1: 605, 2: 605, 3: 605, 4: 605 })
    const user = await service.createUserToken({ userId: 'alice', callId: 'room' })
    expect(read(user.token).rtc[0]!.privileges).toEqual({ 1: 3605 })
  })

  it('a role named like an Object.prototype member gets no inherited mapping', () => {
    const provider = agora({ ...credentials, roleMap: {} })
    expect(provider.mapRole('constructor', new Set())).toBe('subscriber')
    expect(provider.mapRole('toString', new Set(['publish-video']))).toBe('publisher')
  })
})

describe('validity', () => {
  it('the 24 h maximum is accepted, one second more is out of range', async () => {
    const issued = await accounts.createCallToken({ userId: 'alice', callId: 'room', validityInSeconds: 86_400 })
    expect(accounts.provider.decode(issued.token).expiresAt).toBe(FIXED_NOW_S + 86_400)
    await expectCallTokenError(
      () => accounts.createCallToken({ userId: 'alice', callId: 'room', validityInSeconds: 86_401 }),
      'ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE',
    )
  })

  it('a Unix timestamp passed as a validity (the AccessToken2 units mistake) is refused', async () => {
    await expectInvalid(() => accounts.createCallToken({ userId: 'alice', callId: 'room', validityInSeconds: FIXED_NOW_S + 3600 }), 'validityInSeconds')
  })
})
