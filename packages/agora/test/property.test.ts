import { agora } from '@calltoken/agora'
import { createTokenService, definePolicy, isCallTokenError, type CallTokenErrorCode, type TokenService } from '@calltoken/core'
import fc from 'fast-check'
import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { AGORA_89, APP_CERTIFICATE, APP_ID } from './fixtures'
import { oracleRead } from './oracle'

// Thorough in CI, quick locally.
const numRuns = process.env.CI ? 10_000 : 500
const timeout = 60_000
const MAX_UID = 2 ** 32 - 1

const credentials = { appId: APP_ID, appCertificate: APP_CERTIFICATE }
const providers = {
  account: agora(credentials),
  uid: agora({ ...credentials, userIdAs: 'uid', allowAnyUid: true }),
  strictUid: agora({ ...credentials, userIdAs: 'uid' }),
}
const SKEWS = [0, 5, 600] as const
const policies = SKEWS.map((clockSkewSeconds) => definePolicy({ clockSkewSeconds, roles: { viewer: ['join-call'] } }))
const publishers = new Set(['admin', 'moderator', 'member'])

/** Services per provider and skew, with the clock read from `clock.ms` (set per run). */
const clock = { ms: 0 }
const services = Object.fromEntries(
  Object.entries(providers).map(([mode, provider]) => [mode, policies.map((policy) => createTokenService({ provider, policy, now: () => clock.ms }))]),
) as Record<keyof typeof providers, TokenService[]>

const char89 = fc.constantFrom(...AGORA_89)
const channel = fc.string({ unit: char89, minLength: 1, maxLength: 63 })
const account = fc.string({ unit: char89, minLength: 1, maxLength: 255 })
const rtmAccount = fc.string({ unit: char89, minLength: 1, maxLength: 63 }).filter((s) => !s.startsWith(' ') && s !== 'null')
const uid = fc.oneof(fc.integer({ min: 1, max: MAX_UID }), fc.constantFrom(1, MAX_UID)).map(String)
const validity = fc.integer({ min: 60, max: 86_400 })
const role = fc.constantFrom('admin', 'moderator', 'member', 'viewer')
const nowMs = fc.integer({ min: Date.UTC(2001, 0, 1), max: Date.UTC(2100, 0, 1) })
const skew = fc.integer({ min: 0, max: SKEWS.length - 1 })
// Any code point outside the 89 characters (lone surrogates included).
const badChar = fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)).filter((ch) => !AGORA_89.includes(ch))

const validCase = fc.oneof(
  fc.record({ mode: fc.constant('account' as const), kind: fc.constantFrom('call' as const, 'user-call' as const), userId: account, callId: channel, role, validity, nowMs, skew }),
  fc.record({ mode: fc.constant('account' as const), kind: fc.constant('user-rtm' as const), userId: rtmAccount, callId: channel, role, validity, nowMs, skew }),
  fc.record({ mode: fc.constant('uid' as const), kind: fc.constantFrom('call' as const, 'user-call' as const, 'user-rtm' as const), userId: uid, callId: channel, role, validity, nowMs, skew }),
  fc.record({ mode: fc.constant('uid' as const), kind: fc.constantFrom('call' as const, 'user-call' as const), userId: fc.constant('0'), callId: channel, role, validity, nowMs, skew }),
)

describe('property: every valid input gives a token agora-token accepts, for exactly that input', () => {
  it(`${numRuns} runs`, { timeout }, async () => {
    await fc.assert(
      fc.asyncProperty(validCase, async (c) => {
        clock.ms = c.nowMs
        const service = services[c.mode][c.skew]!
        const nowS = Math.floor(c.nowMs / 1000)
        const issued =
          c.kind === 'call'
            ? await service.createCallToken({ userId: c.userId, callId: c.callId, role: c.role, validityInSeconds: c.validity })
            : await service.createUserToken({ userId: c.userId, validityInSeconds: c.validity, ...(c.kind === 'user-call' ? { callId: c.callId } : {}) })

        const view = oracleRead(issued.token, APP_CERTIFICATE)
        expect(view).toBeDefined()
        expect(view!.verified).toBe(true)
        expect(view!.appId).toBe(APP_ID)
        expect(view!.issueTs).toBe(nowS - Math.min(SKEWS[c.skew]!, 86_400 - c.validity)) // core caps exp − iat at 24 h
        expect(view!.issueTs + view!.expire).toBe(nowS + c.validity)
        expect(issued.expiresAt.getTime()).toBe((nowS + c.validity) * 1000)

        const expire = view!.expire
        if (c.kind === 'user-rtm') {
          expect(view!.rtc).toEqual([])
          expect(view!.rtm).toEqual([{ userId: c.userId, privileges: { 1: expire } }])
          expect(issued.connect).toEqual({ service: 'rtm', appId: APP_ID, userId: c.userId })
        } else {
          const publisher = c.kind === 'user-call' || publishers.has(c.role)
          const wire = c.mode === 'uid' && c.userId === '0' ? '' : c.userId
          const privileges = publisher ? { 1: expire, 2: expire, 3: expire, 4: expire } : { 1: expire }
          expect(view!.rtm).toEqual([])
          expect(view!.rtc).toEqual([{ channel: c.callId, uid: wire, privileges }])
          const join = c.mode === 'uid' ? { uid: Number(c.userId) } : { account: c.userId }
          expect(issued.connect).toEqual({ service: 'rtc', appId: APP_ID, channelName: c.callId, ...join })
        }

        const decoded = await service.verifyToken(issued.token)
        expect(decoded.userId).toBe(c.userId)
        expect(decoded.callId).toBe(c.kind === 'user-rtm' ? undefined : c.callId)
        expect(decoded.expiresAt).toBe(nowS + c.validity)
      }),
      { numRuns },
    )
  })
})

const REJECTED: readonly CallTokenErrorCode[] = ['ERR_CALLTOKEN_INVALID_INPUT', 'ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE']

const isValidUid = (s: string) => /^[1-9][0-9]*$/.test(s) && Number(s) <= MAX_UID
const badUid = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: -1 }).map(String),
  fc.integer({ min: MAX_UID + 1, max: Number.MAX_SAFE_INTEGER }).map(String),
  fc.double({ noDefaultInfinity: false }).filter((d) => !Number.isInteger(d)).map(String),
  fc.nat().map((n) => `0${n}`),
  fc.constantFrom('0', '', ' 1', '+1', '1e3', '0x10', 'null', 'undefined'),
  fc.string({ maxLength: 12 }).filter((s) => !isValidUid(s)),
)
const insert = (into: fc.Arbitrary<string>, what: fc.Arbitrary<string>) =>
  fc.tuple(into, what, fc.nat()).map(([s, w, i]) => s.slice(0, i % (s.length + 1)) + w + s.slice(i % (s.length + 1)))
const badChannel = fc.oneof(insert(channel, badChar), fc.string({ unit: char89, minLength: 64, maxLength: 300 }))
const badAccount = fc.oneof(insert(account, badChar), fc.string({ unit: char89, minLength: 256, maxLength: 400 }))
const badValidity = fc.oneof(
  fc.integer({ min: -1_000_000, max: 59 }),
  fc.integer({ min: 86_401, max: 10_000_000_000 }),
  fc.double().filter((d) => !Number.isInteger(d)),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, '3600', null),
)

const invalidCase = fc.oneof(
  fc.record({ mode: fc.constant('account' as const), input: fc.record({ userId: account, callId: badChannel }) }),
  fc.record({ mode: fc.constant('account' as const), input: fc.record({ userId: badAccount, callId: channel }) }),
  fc.record({ mode: fc.constant('strictUid' as const), input: fc.record({ userId: badUid, callId: channel }) }),
  fc.record({ mode: fc.constantFrom('account' as const, 'uid' as const), input: fc.record({ userId: fc.constant('1'), callId: channel, validityInSeconds: badValidity }) }),
)

describe('property: every invalid input is a CallTokenError, never a token', () => {
  it(`${numRuns} runs`, { timeout }, async () => {
    clock.ms = Date.UTC(2030, 0, 1)
    await fc.assert(
      fc.asyncProperty(invalidCase, fc.boolean(), async ({ mode, input }, asCallToken) => {
        const service = services[mode][1]!
        let outcome: unknown
        try {
          // Deliberately ill-typed input: that is the point.
          outcome = asCallToken ? await service.createCallToken(input as never) : await service.createUserToken(input as never)
        } catch (error) {
          expect(isCallTokenError(error)).toBe(true)
          expect(REJECTED).toContain((error as { code: string }).code)
          expect(String((error as Error).message)).not.toContain(APP_CERTIFICATE)
          return
        }
        throw new Error(`expected a rejection, got a token: ${JSON.stringify(outcome)}`)
      }),
      { numRuns },
    )
  })
})

describe('property: decode and verify never throw anything but ERR_CALLTOKEN_INVALID_TOKEN on garbage', () => {
  const provider = providers.account
  const now = () => Date.UTC(2030, 0, 1)

  const rejects = async (token: string) => {
    for (const read of [() => provider.decode(token), () => provider.verify(token, { now })]) {
      try {
        await read()
      } catch (error) {
        expect(isCallTokenError(error) && error.code).toBe('ERR_CALLTOKEN_INVALID_TOKEN')
        continue
      }
      return false
    }
    return true
  }

  it(`random strings, bytes and zlib data (${numRuns} runs)`, { timeout }, async () => {
    const garbage = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ maxLength: 300 }).map((s) => `007${s}`),
      fc.uint8Array({ maxLength: 300 }).map((b) => `007${Buffer.from(b).toString('base64')}`),
      fc.uint8Array({ maxLength: 300 }).map((b) => `007${deflateSync(b).toString('base64')}`),
    )
    await fc.assert(
      fc.asyncProperty(garbage, async (token) => {
        expect(await rejects(token)).toBe(true)
      }),
      { numRuns },
    )
  })

  it(`random edits of a valid token are rejected, or carry exactly the signed content (${numRuns} runs)`, { timeout }, async () => {
    const { token } = await createTokenService({ provider, now }).createCallToken({ userId: 'alice', callId: 'room' })
    const original = await provider.verify(token, { now })
    const edit = fc.array(fc.tuple(fc.nat(), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=')), { minLength: 1, maxLength: 4 })
    const cut = fc.option(fc.nat(), { nil: undefined })
    await fc.assert(
      fc.asyncProperty(edit, cut, async (edits, cutAt) => {
        let edited = token
        for (const [at, ch] of edits) {
          const i = at % edited.length
          edited = edited.slice(0, i) + ch + edited.slice(i + 1)
        }
        if (cutAt !== undefined) edited = edited.slice(0, cutAt % edited.length)
        if (edited === token) return
        try {
          // A multi-byte edit can re-encode the zlib header validly; the content must then be unchanged.
          expect(await provider.verify(edited, { now })).toEqual(original)
        } catch (error) {
          expect(isCallTokenError(error) && error.code).toBe('ERR_CALLTOKEN_INVALID_TOKEN')
        }
      }),
      { numRuns },
    )
  })
})
