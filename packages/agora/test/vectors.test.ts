import { createCallToken, createUserToken, definePolicy } from '@calltoken/core'
import { expectCallTokenError } from '@calltoken/test-kit'
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { encodeAccessToken2, type AccessToken2Service } from '../src/access-token2'
import { createAgora } from '../src/agora'
import { parseAccessToken2 } from '../src/parse-access-token2'
import { signatureMatches } from '../src/signing'
import { VECTOR } from './fixtures'

// Expected tokens copied from agora-token 2.0.6 test/AccessToken2Test.js (the same in every AgoraIO/Tools language).
const EXPECTED = {
  AccessToken_Test:
    '007eJxTYBBbsMMnKq7p9Hf/HcIX5kce9b518kCiQgSr5Zrp4X1Tu6UUGCzNDZwdjU1TUs0Mkk1MzExMk5ISUy0SjQxNDcwMk4yN3b8IMEQwMTAwMoAwBIL4CgzmKeZGxmamqUmWFsYmFqbGluapxqnGaZYpJmYGSSkpiVwMRhYWRsYmhkbmxgDCaiTj',
  AccessToken_Test2:
    '007eJxTYLhzZP08Lxa1Pg57+TcXb/3cZ3wi4V6kbpbOog0G2dOYk20UGCzNDZwdjU1TUs0Mkk1MzExMk5ISUy0SjQxNDcwMk4yN3b8IMEQwMTAwMoAwBIL4CgzmKeZGxmamqUmWFsYmFqbGluapxqnGaZYpJmYGSSkpiQwMADacImo=',
  AccessToken_Test4:
    '007eJxTYOAQsrQ5s3TfH+1tvy8zZZ46EpCc0V43JXdGd2jS8porKo4KDJbmBs6OxqYpqWYGySYmZiamSUmJqRaJRoamBmaGScbG7l8EGCKYGBgYGRgYmBgYGVgYGMF8JjDJDCZZwKQCg3mKuZGxmWlqkqWFsYmFqbGleapxqnGaZYqJmUFSSkoiF4ORhYWRsYmhkbkxyCyISZwMJanFJfGlxalFACKnKng=',
  buildChatUserToken:
    '007eJxTYNAIsnbS3v/A5t2TC6feR15r+6cq8bqAvfaW+tk/Vzz+p6xTYLA0N3B2NDZNSTUzSDYxMTMxTUpKTLVINDI0NTAzTDI2dv8iwBDBxMDAyADCrAyMDIxgPheDkYWFkbGJoZG5MQAfpR64',
  buildChatAppToken:
    '007eJxTYNDNaz3snC8huEfHWdz6s98qltq4zqy9fl99Uh0FDvy6F6DAYGlu4OxobJqSamaQbGJiZmKalJSYapFoZGhqYGaYZGzs/kWAIYKJgYGRAYRZGRgZmMB8BgYArfIYaw==',
  extendedServiceNumericUidConversion:
    '007eJxTYLi93GuuUHrO9Fr71KVJKqfDby8RezlVfGLMO77DIl79U40UGCzNDZwdjU1TUs0Mkk1MzExMk5ISUy0SjQxNDcwMk4yN3b8IMEQwMTAwMjAwsDEwMzAyMIL5CgzmKeZGxmamqUmWFsYmFqbGluapxqnGaZYpJmYGSSkpiVwMRhYWRsYmhkbmxiB9TETqY2BgZmCC2kKsHj6G4pKi1MRc3cTk5PzSvBI2Mt3JRpI72Uh2Jw9DWnJKHsyVAElvX1c=',
  extendedServicesFromCpp:
    '007eJxTYPj86Lzdz79M25wNn/lMfvu+TkfmdpiviKvChm8ZV3SWndytwGBpbuDsaGyakmpmkGxiYmZimpSUmGqRaGRoamBmmGRs7P5FgCGCiYGBkYGBgRkImYAsEJ8JTCowmKeYGxmbmaYmWVoYm1iYGluapxqnGqdZppiYGSSlpCRyMRhZWBgZmxgamRuzUaSbA6gXopuToSS1uCS+tDi1iJkB4jQmoGBuanFxYnqqbiKCmcTIAIEcDMUlRamJubqJLGD1jAxsDCD9uokAO/VDvQ==',
} as const

// The official tokens were compressed by zlib, ours by our own deflater (the same on every runtime): the same signed
// bytes inside, compressed differently.
const contentOf = (token: string) => inflateSync(Buffer.from(token.slice(3), 'base64'))
function expectVector(token: unknown, expected: string) {
  if (typeof token !== 'string') throw new Error('the Node encoder is synchronous: expected a token, not a promise')
  expect(token.slice(0, 3)).toBe('007')
  expect(contentOf(token).toString('hex')).toBe(contentOf(expected).toString('hex'))
}

const { appId, appCertificate, channel, uidStr, issueTs, expire, salt, rtmUserId } = VECTOR
const encode = (...services: AccessToken2Service[]) => encodeAccessToken2({ appId, appCertificate, issueTs, expire, salt, services })
const rtc = (uid: string, privileges: Record<number, number>): AccessToken2Service => ({ type: 1, privileges, strings: [channel, uid] })
const join = { 1: expire }
const publisher = { 1: expire, 2: expire, 3: expire, 4: expire }
const rtm: AccessToken2Service = { type: 2, privileges: { 1: expire }, strings: [rtmUserId] }

describe('official AccessToken2 vectors: our encoder signs the same bytes', () => {
  it('AccessToken_Test: RTC, uid 2882341273, join only', () => {
    expectVector(encode(rtc(uidStr, join)), EXPECTED.AccessToken_Test)
  })

  it("AccessToken_Test2: RTC, uid 0 (written as '')", () => {
    expectVector(encode(rtc('', join)), EXPECTED.AccessToken_Test2)
  })

  it("AccessToken_Test3: the account '2882341273' gives the same bytes as the uid", () => {
    expectVector(encode(rtc('2882341273', join)), EXPECTED.AccessToken_Test)
  })

  it('AccessToken_Test4: RTC with privileges 1-4 and RTM login', () => {
    expectVector(encode(rtc(uidStr, publisher), rtm), EXPECTED.AccessToken_Test4)
  })

  it('AccessToken_Test_stableServiceTypeOrdering: RTM added first is still packed after RTC', () => {
    expectVector(encode(rtm, rtc(uidStr, publisher)), EXPECTED.AccessToken_Test4)
  })

  it('privileges are packed in id order whatever order they are given in', () => {
    expectVector(encode(rtc(uidStr, { 4: expire, 2: expire, 3: expire, 1: expire }), rtm), EXPECTED.AccessToken_Test4)
  })

  it('AccessToken_Test_buildChatUserToken and buildChatAppToken', () => {
    expectVector(encode({ type: 5, privileges: { 1: expire }, strings: [uidStr] }), EXPECTED.buildChatUserToken)
    expectVector(encode({ type: 5, privileges: { 2: expire }, strings: [''] }), EXPECTED.buildChatAppToken)
  })

  it('AccessToken_Test_extendedServiceNumericUidConversion: Streaming and FCDN, several of one type in order', () => {
    const service = (type: number, account: string, ids: number[]): AccessToken2Service => ({
      type,
      privileges: Object.fromEntries(ids.map((id) => [id, expire])),
      strings: [channel, account],
    })
    const token = encode(
      service(3, uidStr, [1]),
      service(3, '', [2]),
      service(3, 'stream-account', [1, 2]),
      service(6, uidStr, [1]),
      service(6, '', [2]),
      service(6, 'fcdn-account', [1, 2]),
    )
    expectVector(token, EXPECTED.extendedServiceNumericUidConversion)
  })

  it('a change to any input changes the token', () => {
    const tokens = new Set([
      encode(rtc(uidStr, join)),
      encodeAccessToken2({ appId, appCertificate, issueTs: issueTs + 1, expire, salt, services: [rtc(uidStr, join)] }),
      encodeAccessToken2({ appId, appCertificate, issueTs, expire: expire + 1, salt, services: [rtc(uidStr, join)] }),
      encodeAccessToken2({ appId, appCertificate, issueTs, expire, salt: 2, services: [rtc(uidStr, join)] }),
      encodeAccessToken2({ appId, appCertificate: '5CFd2fd1755d40ecb72977518be15d3c', issueTs, expire, salt, services: [rtc(uidStr, join)] }),
      encode(rtc('2882341274', join)),
    ])
    expect(tokens.size).toBe(6)
  })

  it('refuses what agora-token would turn into an empty string or a RangeError', () => {
    expect(() => encodeAccessToken2({ appId: 'abc', appCertificate, issueTs, expire, salt, services: [rtc(uidStr, join)] })).toThrow(TypeError)
    expect(() => encode()).toThrow(TypeError)
    expect(() => encodeAccessToken2({ appId, appCertificate, issueTs, expire: 2 ** 32, salt, services: [rtc(uidStr, join)] })).toThrow(RangeError)
    expect(() => encodeAccessToken2({ appId, appCertificate, issueTs: 1.5, expire, salt, services: [rtc(uidStr, join)] })).toThrow(RangeError)
    expect(() => encode(rtc(uidStr, { 1: -1 }))).toThrow(RangeError)
    expect(() => encode(rtc('x'.repeat(65_536), join))).toThrow(RangeError)
  })
})

describe('official AccessToken2 vectors, read back by our parser', () => {
  it('AccessToken_Test: every field, and the signature checks with the vector certificate only', () => {
    const { content, signature, signingInfo } = parseAccessToken2(EXPECTED.AccessToken_Test)
    expect(content).toEqual({
      appId,
      issueTs,
      expire,
      salt,
      services: [{ type: 1, name: 'rtc', privileges: join, channelName: channel, uid: uidStr }],
    })
    expect(signatureMatches(signature, appCertificate, issueTs, salt, signingInfo)).toBe(true)
    expect(signatureMatches(signature, '5CFd2fd1755d40ecb72977518be15d3c', issueTs, salt, signingInfo)).toBe(false)
    expect(signatureMatches(signature, appCertificate, issueTs, 2, signingInfo)).toBe(false)
  })

  it('AccessToken_Test4: RTC and RTM services', () => {
    const { content } = parseAccessToken2(EXPECTED.AccessToken_Test4)
    expect(content.services).toEqual([
      { type: 1, name: 'rtc', privileges: publisher, channelName: channel, uid: uidStr },
      { type: 2, name: 'rtm', privileges: { 1: expire }, userId: rtmUserId },
    ])
  })

  it('AccessToken_Test_extendedServicesFromCpp: Streaming, FCDN and RTM2 (made by the C++ builder)', () => {
    const { content, signature, signingInfo } = parseAccessToken2(EXPECTED.extendedServicesFromCpp)
    expect(signatureMatches(signature, appCertificate, content.issueTs, content.salt, signingInfo)).toBe(true)
    expect(content.services.map((s) => s.name)).toEqual(['streaming', 'fcdn', 'rtm2'])
    expect(content.services[0]).toMatchObject({ channelName: channel, account: uidStr, privileges: { 1: expire, 2: expire } })
    expect(content.services[1]).toMatchObject({ channelName: channel, account: uidStr, privileges: { 1: expire, 2: expire } })
    expect(content.services[2]).toEqual({
      type: 8,
      name: 'rtm2',
      privileges: { 1: expire },
      userId: rtmUserId,
      permissions: { 0: { 0: ['message-a', 'message-b'] }, 1: { 1: ['stream-a'] }, 4: { 0: ['user-a'] } },
    })
  })

  it('Chat vectors parse, and re-encode to the same signed bytes', () => {
    for (const token of [EXPECTED.buildChatUserToken, EXPECTED.buildChatAppToken, EXPECTED.extendedServiceNumericUidConversion]) {
      const { content } = parseAccessToken2(token)
      const services = content.services.map((s) => ({
        type: s.type,
        privileges: s.privileges,
        strings: [s.channelName, s.account ?? s.userId].filter((x): x is string => typeof x === 'string'),
      }))
      expectVector(encode(...services), token)
    }
  })
})

describe('official vectors through the provider (fixed clock, salt 1, no clock skew)', () => {
  const policy = definePolicy({ clockSkewSeconds: 0, roles: { viewer: ['join-call'] } })
  const now = () => issueTs * 1000 + 999

  it('a viewer (join only) call token for account "2882341273" or uid 2882341273 is AccessToken_Test', async () => {
    const input = { userId: uidStr, callId: channel, role: 'viewer', validityInSeconds: expire }
    for (const userIdAs of ['account', 'uid'] as const) {
      const provider = createAgora({ appId, appCertificate, userIdAs }, () => salt)
      const issued = await createCallToken(input, { provider, policy, now })
      expectVector(issued.token, EXPECTED.AccessToken_Test)
    }
  })

  it('uid "0" with allowAnyUid is AccessToken_Test2, and is refused without it', async () => {
    const input = { userId: '0', callId: channel, role: 'viewer', validityInSeconds: expire }
    const provider = createAgora({ appId, appCertificate, userIdAs: 'uid', allowAnyUid: true }, () => salt)
    const issued = await createCallToken(input, { provider, policy, now })
    expectVector(issued.token, EXPECTED.AccessToken_Test2)
    expect(issued.connect).toEqual({ service: 'rtc', appId, channelName: channel, uid: 0 })
    expect((await provider.verify(issued.token, { now })).userId).toBe('0')

    const strict = createAgora({ appId, appCertificate, userIdAs: 'uid' }, () => salt)
    await expectCallTokenError(() => createCallToken(input, { provider: strict, policy, now }), 'ERR_CALLTOKEN_INVALID_INPUT')
  })

  it('a user token for the channel is RTC at member (publisher) privileges, the RTC half of AccessToken_Test4', async () => {
    const provider = createAgora({ appId, appCertificate }, () => salt)
    const issued = await createUserToken({ userId: uidStr, callId: channel, validityInSeconds: expire }, { provider, policy, now })
    expect(issued.token).toBe(encode(rtc(uidStr, publisher)))
    expect(provider.decode(issued.token)).toMatchObject({ providerRole: 'publisher', callId: channel, userId: uidStr })
  })

  it('legacy 006 tokens are not AccessToken2', async () => {
    const provider = createAgora({ appId, appCertificate }, () => salt)
    const legacy = '006970CA35de60c44645bbae8a215061b33IACV0fZUBw+72cVoL9eyGGh3Q6Poi8bgjwVLnyKSJyOXR7dIfRBXoFHlEAABAAAAR/QQAAEAAQCvKDdW'
    const error = await expectCallTokenError(() => provider.decode(legacy), 'ERR_CALLTOKEN_INVALID_TOKEN')
    expect(error.message).toContain('"007"')
  })
})
