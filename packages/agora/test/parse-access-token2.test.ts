import { agora } from '@calltoken/agora'
import { createTokenService } from '@calltoken/core'
import { expectCallTokenError, FIXED_NOW_S, fixedClock, synchronous } from '@calltoken/test-kit'
import { deflateSync, inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { encodeAccessToken2, type AccessToken2Service } from '../src/access-token2'
import { APP_CERTIFICATE, APP_ID, OTHER_APP_ID, VECTOR } from './fixtures'

const provider = agora({ appId: APP_ID, appCertificate: APP_CERTIFICATE })
const service = createTokenService({ provider, now: fixedClock() })
const verify = (t: string) => provider.verify(t, { now: fixedClock() })
const token = (await service.createCallToken({ userId: 'alice', callId: 'room', role: 'member', validityInSeconds: 600 })).token

const rtc = (channel: string, uid: string, privileges: Record<number, number> = { 1: 600 }): AccessToken2Service => ({
  type: 1,
  privileges,
  strings: [channel, uid],
})
const mint = (services: AccessToken2Service[], fields: { appId?: string; appCertificate?: string } = {}) =>
  synchronous(encodeAccessToken2({ appId: APP_ID, appCertificate: APP_CERTIFICATE, issueTs: FIXED_NOW_S, expire: 600, salt: 7, services, ...fields }))

/** Recompresses a token's content after `edit`, keeping it well-formed zlib. */
const rewrite = (t: string, edit: (content: Buffer) => Buffer) => `007${deflateSync(edit(inflateSync(Buffer.from(t.slice(3), 'base64')))).toString('base64')}`

/** decode and verify both throw ERR_CALLTOKEN_INVALID_TOKEN (a CallTokenError, not a zlib or range error). */
async function expectRejected(t: unknown) {
  await expectCallTokenError(() => provider.decode(t as string), 'ERR_CALLTOKEN_INVALID_TOKEN')
  return expectCallTokenError(() => verify(t as string), 'ERR_CALLTOKEN_INVALID_TOKEN')
}

describe('decode', () => {
  it('reads our token into neutral claims with the AccessToken2 fields under claims', () => {
    const decoded = provider.decode(token)
    expect(decoded).toMatchObject({
      provider: 'agora',
      userId: 'alice',
      callId: 'room',
      providerRole: 'publisher',
      issuedAt: FIXED_NOW_S - 5,
      expiresAt: FIXED_NOW_S + 600,
    })
    expect(decoded.claims).toMatchObject({
      appId: APP_ID,
      issueTs: FIXED_NOW_S - 5,
      expire: 605,
      salt: expect.any(Number),
      services: [{ type: 1, name: 'rtc', channelName: 'room', uid: 'alice', privileges: { 1: 605, 2: 605, 3: 605, 4: 605 } }],
    })
  })

  it('reads an RTM token: the user, no call and no role', async () => {
    const rtm = await service.createUserToken({ userId: 'alice' })
    const decoded = provider.decode(rtm.token)
    expect(decoded).toMatchObject({ userId: 'alice', expiresAt: FIXED_NOW_S + 3600 })
    expect(decoded.callId).toBeUndefined()
    expect(decoded.providerRole).toBeUndefined()
  })

  it('reads tokens made elsewhere: several services, a wildcard channel, RTM2 only', () => {
    // RTC first names the user even when RTM comes first in the list.
    const both = mint([{ type: 2, privileges: { 1: 600 }, strings: ['rtm-user'] }, rtc('room', 'rtc-user')])
    expect(provider.decode(both)).toMatchObject({ userId: 'rtc-user', callId: 'room', providerRole: 'subscriber' })
    const wildcard = provider.decode(mint([rtc('', '')]))
    expect(wildcard.userId).toBe('0')
    expect('callId' in wildcard).toBe(false)
    expect(provider.decode(mint([rtc('room', 'u', { 1: 600, 2: 600 })])).providerRole).toBe('publisher')
    const cpp =
      '007eJxTYPj86Lzdz79M25wNn/lMfvu+TkfmdpiviKvChm8ZV3SWndytwGBpbuDsaGyakmpmkGxiYmZimpSUmGqRaGRoamBmmGRs7P5FgCGCiYGBkYGBgRkImYAsEJ8JTCowmKeYGxmbmaYmWVoYm1iYGluapxqnGqdZppiYGSSlpCRyMRhZWBgZmxgamRuzUaSbA6gXopuToSS1uCS+tDi1iJkB4jQmoGBuanFxYnqqbiKCmcTIAIEcDMUlRamJubqJLGD1jAxsDCD9uokAO/VDvQ=='
    expect(provider.decode(cpp)).toMatchObject({ userId: VECTOR.rtmUserId, issuedAt: VECTOR.issueTs, expiresAt: VECTOR.issueTs + VECTOR.expire })
  })

  it('a token with no RTC or RTM service names no user', async () => {
    const chat = mint([{ type: 5, privileges: { 1: 600 }, strings: ['alice'] }])
    expect((await expectRejected(chat)).message).toContain('no RTC or RTM service')
  })

  it('stops at an unknown service type like agora-token, keeping what came before', async () => {
    const unknown = mint([rtc('room', 'alice'), { type: 999, privileges: { 1: 600 }, strings: [] }])
    expect(await verify(unknown)).toMatchObject({ userId: 'alice', claims: { unknownServiceType: 999 } })
  })
})

describe('verify', () => {
  it('rejects a token signed for another App ID, even with our certificate', async () => {
    const error = await expectCallTokenError(() => verify(mint([rtc('room', 'alice')], { appId: OTHER_APP_ID })), 'ERR_CALLTOKEN_INVALID_TOKEN')
    expect(error.message).toContain('another App ID')
  })

  it('rejects a token signed with another certificate', async () => {
    const error = await expectCallTokenError(
      () => verify(mint([rtc('room', 'alice')], { appCertificate: VECTOR.appCertificate })),
      'ERR_CALLTOKEN_INVALID_TOKEN',
    )
    expect(error.message).toContain('signature')
    expect(error.message).not.toContain(APP_CERTIFICATE)
  })

  it('accepts the same signed content compressed by another encoder (other Agora SDKs use other zlib settings)', async () => {
    const content = inflateSync(Buffer.from(token.slice(3), 'base64'))
    for (const level of [0, 1, 9]) {
      const recompressed = `007${deflateSync(content, { level }).toString('base64')}`
      expect(recompressed).not.toBe(token)
      expect(await verify(recompressed)).toEqual(await verify(token))
    }
  })

  it('rejects a token whose signed bytes were edited and recompressed (an extra privilege)', async () => {
    const edited = rewrite(token, (content) => {
      const copy = Buffer.from(content)
      copy.writeUInt32LE(copy.readUInt32LE(copy.length - 4 - 2 - 4 - 2 - 5) + 1, copy.length - 4 - 2 - 4 - 2 - 5)
      return copy
    })
    expect(provider.decode(edited)).toBeDefined()
    await expectCallTokenError(() => verify(edited), 'ERR_CALLTOKEN_INVALID_TOKEN')
  })
})

describe('garbage is always ERR_CALLTOKEN_INVALID_TOKEN', () => {
  it('non-strings, empty and foreign formats', async () => {
    for (const junk of [undefined, null, 7, {}, '', '0', '00', '007', '006abc', '007 ', 'eyJhbGciOiJIUzI1NiJ9.e30.x', `  ${token}`, `${token}\n`]) {
      await expectRejected(junk)
    }
  })

  it('every truncation of a valid token', async () => {
    for (let length = 0; length < token.length; length++) await expectRejected(token.slice(0, length))
  })

  it('every single-character change of a valid token', async () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_.'
    for (let i = 0; i < token.length; i++) {
      for (const swap of [alphabet[(alphabet.indexOf(token[i]!) + 1) % alphabet.length]!, token[i] === 'A' ? 'B' : 'A', '-']) {
        if (swap === token[i]) continue
        await expectCallTokenError(() => verify(token.slice(0, i) + swap + token.slice(i + 1)), 'ERR_CALLTOKEN_INVALID_TOKEN')
      }
    }
  })

  it('every single-bit flip of the compressed bytes', async () => {
    const compressed = Buffer.from(token.slice(3), 'base64')
    for (let bit = 0; bit < compressed.length * 8; bit++) {
      const flipped = Buffer.from(compressed)
      flipped[bit >> 3]! ^= 1 << (bit & 7)
      await expectCallTokenError(() => verify(`007${flipped.toString('base64')}`), 'ERR_CALLTOKEN_INVALID_TOKEN')
    }
  })

  it('non-canonical base64 (spare bits set), missing padding and bytes after the zlib stream', async () => {
    const body = token.slice(3)
    const compressed = Buffer.from(body, 'base64')
    // Change the last data character's spare bits: Node would decode the same bytes.
    const padded = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0
    if (padded > 0) {
      const i = body.length - padded - 1
      const spare = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
      const sibling = spare[spare.indexOf(body[i]!) ^ 1]!
      const aliased = body.slice(0, i) + sibling + body.slice(i + 1)
      expect(Buffer.from(aliased, 'base64')).toEqual(compressed)
      await expectRejected(`007${aliased}`)
      await expectRejected(`007${body.replace(/=+$/, '')}`)
    }
    await expectRejected(`007${Buffer.concat([compressed, Buffer.from([0])]).toString('base64')}`)
    await expectRejected(`007${body.slice(0, 8)}\n${body.slice(8)}`)
  })

  it('well-formed zlib around malformed content', async () => {
    const valid = mint([rtc('room', 'alice')])
    const cases: [string, (c: Buffer) => Buffer][] = [
      ['empty content', () => Buffer.alloc(0)],
      ['random bytes', () => Buffer.from('not an access token at all')],
      ['a short signature', (c) => Buffer.concat([Buffer.from([31, 0]), c.subarray(2, 33), c.subarray(34)])],
      ['a byte after the last service', (c) => Buffer.concat([c, Buffer.from([0])])],
      ['the last byte missing', (c) => c.subarray(0, c.length - 1)],
      ['a string length past the end', (c) => Buffer.concat([c.subarray(0, c.length - 7), Buffer.from([0xff, 0xff]), c.subarray(c.length - 5)])],
      ['a service count larger than the services', (c) => ((c = Buffer.from(c)), c.writeUInt16LE(2, 34 + 2 + 32 + 12), c)],
      ['invalid UTF-8 in the uid', (c) => ((c = Buffer.from(c)), (c[c.length - 1] = 0xff), c)],
    ]
    for (const [name, edit] of cases) {
      const error = await expectRejected(rewrite(valid, edit))
      expect(error.message, name).toMatch(/^Not a valid agora token: /)
    }
    const repeated = rewrite(valid, (c) => {
      // Privilege count 1 → 2, repeating privilege 1.
      const at = 34 + 2 + 32 + 12 + 2 + 2
      return Buffer.concat([c.subarray(0, at), Buffer.from([2, 0]), c.subarray(at + 2, at + 8), c.subarray(at + 2, at + 8), c.subarray(at + 8)])
    })
    expect((await expectRejected(repeated)).message).toContain('twice')
  })

  it('a zlib bomb is refused without inflating it all', async () => {
    const bomb = `007${deflateSync(Buffer.alloc(8 * 1024 * 1024)).toString('base64')}`
    expect(bomb.length).toBeLessThan(64 * 1024)
    await expectRejected(bomb)
    await expectRejected(`007${'A'.repeat(70_000)}`)
  })
})
