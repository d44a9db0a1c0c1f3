import { createTokenService, definePolicy } from '@calltoken/core'
import { expectCallTokenError, fixedClock } from '@calltoken/test-kit'
import { twilio, twilioLength } from '@calltoken/twilio'
import { describe, expect, it } from 'vitest'
import { credentials, segments } from './fixtures'

const service = createTokenService({ provider: twilio(credentials), now: fixedClock(), policy: definePolicy({ validity: { minSeconds: 1 } }) })

const CJK = '漢' // U+6F22
const BELOW_U0800 = 'ߟ' // U+07DF, the last block that counts 1
const AT_U0800 = 'ࠀ' // U+0800, the first character that counts 2
const EMOJI = '😀' // U+1F600: a surrogate pair, both halves ≥ U+0800

async function identityIn(userId: string) {
  const issued = await service.createUserToken({ userId })
  return (segments(issued.token).payload.grants as { identity: string }).identity
}

async function rejectedUserId(userId: string) {
  const error = await expectCallTokenError(() => service.createUserToken({ userId }), 'ERR_CALLTOKEN_INVALID_INPUT')
  expect(error.issues?.map((i) => i.path)).toEqual(['userId'])
  return error.issues?.[0]?.message ?? ''
}

async function rejectedCallId(callId: string) {
  const error = await expectCallTokenError(() => service.createCallToken({ userId: 'alice', callId }), 'ERR_CALLTOKEN_INVALID_INPUT')
  expect(error.issues?.map((i) => i.path)).toEqual(['callId'])
  return error.issues?.[0]?.message ?? ''
}

describe('twilioLength: Twilio counts double-byte characters as 2', () => {
  it.each([
    ['', 0],
    ['alice', 5],
    ['é', 1],
    [BELOW_U0800, 1],
    [AT_U0800, 2],
    [CJK, 2],
    ['ｱ', 2], // half-width katakana is still ≥ U+0800
    [EMOJI, 4],
    ['👩‍💻', 10], // woman + ZWJ + laptop: 4 + 2 + 4
    [`2-jane.doe@example.com`, 22],
  ])('%j counts %i', (value, length) => {
    expect(twilioLength(value)).toBe(length)
  })
})

describe('identity (userId → grants.identity)', () => {
  it('accepts 127 and 128 ASCII characters and rejects 129', async () => {
    expect(await identityIn('a'.repeat(127))).toBe('a'.repeat(127))
    expect(await identityIn('a'.repeat(128))).toBe('a'.repeat(128))
    expect(await rejectedUserId('a'.repeat(129))).toBe('userId must be at most 128 characters')
  })

  it('counts CJK double: 64 fit, 65 do not, even though 65 is far below 128 code units', async () => {
    expect(await identityIn(CJK.repeat(64))).toBe(CJK.repeat(64))
    expect(await rejectedUserId(CJK.repeat(65))).toMatch(/^userId must be at most 128 characters as Twilio counts a participant identity/)
    expect(await identityIn(`${'a'.repeat(126)}${CJK}`)).toHaveLength(127)
    await rejectedUserId(`${'a'.repeat(127)}${CJK}`)
  })

  it('the boundary is U+0800: U+07DF counts 1, U+0800 counts 2', async () => {
    expect(await identityIn(BELOW_U0800.repeat(128))).toBe(BELOW_U0800.repeat(128))
    expect(await identityIn(AT_U0800.repeat(64))).toBe(AT_U0800.repeat(64))
    await rejectedUserId(AT_U0800.repeat(65))
  })

  it('counts an emoji as 4 (two surrogates): 32 fit, 33 do not', async () => {
    expect(await identityIn(EMOJI.repeat(32))).toBe(EMOJI.repeat(32))
    await rejectedUserId(EMOJI.repeat(33))
    expect(await identityIn(`${'a'.repeat(124)}${EMOJI}`)).toHaveLength(126)
    await rejectedUserId(`${'a'.repeat(125)}${EMOJI}`)
  })

  it('rejects an empty identity, a non-string and an unpaired surrogate', async () => {
    expect(await rejectedUserId('')).toBe('userId must not be empty')
    expect(await rejectedUserId(4444 as unknown as string)).toBe('userId must be a string')
    expect(await rejectedUserId('alice\uD83D')).toMatch(/valid Unicode/)
    expect(await rejectedUserId('\uDE00alice')).toMatch(/valid Unicode/)
  })

  it('keeps identities such as "{user_id}-{email}" unchanged', async () => {
    expect(await identityIn('2-jane.doe@example.com')).toBe('2-jane.doe@example.com')
    expect(await identityIn('auth0|123 with spaces/and:colons')).toBe('auth0|123 with spaces/and:colons')
  })
})

describe('room (callId → grants.video.room)', () => {
  async function roomIn(callId: string) {
    const issued = await service.createCallToken({ userId: 'alice', callId })
    expect(issued.connect).toEqual({ identity: 'alice', roomName: callId })
    return (segments(issued.token).payload.grants as { video: { room: string } }).video.room
  }

  it('accepts room names of up to 128 characters as Twilio counts them, and RM SIDs', async () => {
    expect(await roomIn('apt-47-1763138954-46eb915c')).toBe('apt-47-1763138954-46eb915c')
    expect(await roomIn('r'.repeat(128))).toBe('r'.repeat(128))
    expect(await roomIn(CJK.repeat(64))).toBe(CJK.repeat(64))
    expect(await roomIn('RMca86eeac00a04e28a40e99ed26e7d406')).toBe('RMca86eeac00a04e28a40e99ed26e7d406')
  })

  it('rejects an empty, too long or not valid Unicode room name', async () => {
    expect(await rejectedCallId('')).toBe('callId must not be empty')
    expect(await rejectedCallId('r'.repeat(129))).toBe('callId must be at most 128 characters')
    expect(await rejectedCallId(CJK.repeat(65))).toMatch(/^callId must be at most 128 characters as Twilio counts a room name/)
    expect(await rejectedCallId('room\uD800')).toMatch(/callId must be valid Unicode/)
  })

  it('a user token may name a room; without one it allows any room', async () => {
    const scoped = await service.createUserToken({ userId: 'alice', callId: 'apt-47' })
    expect(segments(scoped.token).payload.grants).toEqual({ identity: 'alice', video: { room: 'apt-47' } })
    const anyRoom = await service.createUserToken({ userId: 'alice' })
    expect(segments(anyRoom.token).payload.grants).toEqual({ identity: 'alice', video: {} })
  })

  it('rejects callType: Twilio has no call types', async () => {
    const error = await expectCallTokenError(
      () => service.createCallToken({ userId: 'alice', callId: 'apt-47', callType: 'default' }),
      'ERR_CALLTOKEN_INVALID_INPUT',
    )
    expect(error.issues).toEqual([{ path: 'callType', message: 'callType is not supported by twilio' }])
  })
})

describe('validity: 1 s to 24 h', () => {
  it('mints 1 s and 86400 s tokens and rejects 0 and 86401 (no silent 3600 for 0, unlike twilio-node)', async () => {
    for (const validityInSeconds of [1, 86_400]) {
      const issued = await service.createUserToken({ userId: 'alice', validityInSeconds })
      expect(issued.validityInSeconds).toBe(validityInSeconds)
    }
    await expectCallTokenError(() => service.createUserToken({ userId: 'alice', validityInSeconds: 0 }), 'ERR_CALLTOKEN_INVALID_INPUT')
    await expectCallTokenError(() => service.createUserToken({ userId: 'alice', validityInSeconds: 86_401 }), 'ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE')
  })
})
