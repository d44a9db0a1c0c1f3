import { createCallToken, createUserToken, definePolicy, isCallTokenError, type CallTokenError, type Policy } from '@calltoken/core'
import { errorText } from '@calltoken/test-kit'
import { twilio, twilioLength, type TwilioOptions } from '@calltoken/twilio'
import fc from 'fast-check'
import { jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ACCOUNT_SID, API_KEY_SECRET, API_KEY_SID, credentials, segments, twilioNodeToken } from './fixtures'

// 10,000 runs per property in CI; a quick pass locally.
const numRuns = process.env.CI ? 10_000 : 500
const TIMEOUT_MS = 60_000

const key = new TextEncoder().encode(API_KEY_SECRET)
const providers = { none: twilio(credentials), ie1: twilio({ ...credentials, region: 'ie1' }) }

// One policy per skew, so the runs measure minting rather than policy set-up.
const policies = new Map<number, Policy>()
const policyFor = (skew: number) => {
  let policy = policies.get(skew)
  if (!policy) policies.set(skew, (policy = definePolicy({ clockSkewSeconds: skew, validity: { minSeconds: 1 } })))
  return policy
}

const codePoint = (min: number, max: number) => fc.integer({ min, max }).map((cp) => String.fromCodePoint(cp))
/** Any character, weighted towards the interesting ranges: ASCII, below U+0800 (counts 1), BMP from U+0800 (counts 2), astral (4). */
const anyChar = fc.oneof(
  { weight: 4, arbitrary: codePoint(0x20, 0x7e) },
  { weight: 1, arbitrary: codePoint(0x00, 0x1f) },
  { weight: 2, arbitrary: codePoint(0x80, 0x7ff) },
  { weight: 3, arbitrary: codePoint(0x800, 0xd7ff) },
  { weight: 1, arbitrary: codePoint(0xe000, 0xffff) },
  { weight: 2, arbitrary: codePoint(0x10000, 0x10ffff) },
)

/** Drops trailing characters until the value fits Twilio's 128; lands often right at the boundary. */
function fitTwilio(value: string): string {
  const chars = [...value]
  while (twilioLength(chars.join('')) > 128) chars.pop()
  return chars.join('')
}

/** A valid identity or room name: 1..128 as Twilio counts, well-formed Unicode. */
const twilioName = fc.string({ unit: anyChar, minLength: 1, maxLength: 128 }).map(fitTwilio)

/** Too long as Twilio counts, though often short in code units (CJK, emoji). */
const tooLong = fc.string({ unit: anyChar, minLength: 1, maxLength: 140 }).map((s) => {
  let out = s
  while (twilioLength(out) <= 128) out += s
  return out
})

/** A valid name with an unpaired surrogate inserted somewhere. */
const loneSurrogate = fc
  .tuple(twilioName, fc.integer({ min: 0xd800, max: 0xdfff }), fc.nat())
  .map(([name, unit, at]) => {
    const i = at % (name.length + 1)
    return name.slice(0, i) + String.fromCharCode(unit) + name.slice(i)
  })
  .filter((s) => /\p{Cs}/u.test(s))

/** Not an identity or a room name. (A missing callId is fine for a user token, so `undefined` is only a bad identity.) */
const badName = fc.oneof(fc.constant(''), tooLong, loneSurrogate, fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }))
const badIdentity = fc.oneof(badName, fc.constant(undefined))

const badValidity = fc.oneof(
  fc.integer({ min: -100_000, max: 0 }),
  fc.integer({ min: 86_401, max: 999_999_999 }),
  fc.integer({ min: 1_000_000_000, max: 2_000_000_000 }),
  fc.double({ min: 1, max: 86_400, noInteger: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, '3600', null),
)

const nowMs = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) })

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
})
afterAll(() => {
  vi.useRealTimers()
})

describe('property: random valid input always gives a token Twilio would accept', () => {
  it(
    'verifies with jose and the secret, carries the same identity, room and expiry, and matches twilio-node',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            userId: twilioName,
            callId: fc.option(twilioName, { nil: undefined }),
            kind: fc.constantFrom('user', 'call'),
            role: fc.option(fc.constantFrom('admin', 'moderator', 'member'), { nil: undefined }),
            validityInSeconds: fc.integer({ min: 1, max: 86_400 }),
            skew: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 600 })),
            region: fc.constantFrom('none', 'ie1'),
            nowMs,
          }),
          async ({ userId, callId, kind, role, validityInSeconds, skew, region, nowMs }) => {
            const options = { provider: providers[region as 'none' | 'ie1'], policy: policyFor(skew), now: () => nowMs }
            const room = kind === 'call' ? (callId ?? 'default-room') : callId
            const issued =
              kind === 'call'
                ? await createCallToken({ userId, callId: room as string, role, validityInSeconds }, options)
                : await createUserToken({ userId, callId: room, validityInSeconds }, options)
            const nowS = Math.floor(nowMs / 1000)
            const exp = nowS + validityInSeconds

            const { payload, protectedHeader } = await jwtVerify(issued.token, key, {
              algorithms: ['HS256'],
              issuer: API_KEY_SID,
              subject: ACCOUNT_SID,
              currentDate: new Date(nowMs),
            })
            expect(protectedHeader.cty).toBe('twilio-fpa;v=1')
            expect(payload.grants).toEqual({ identity: userId, video: room === undefined ? {} : { room } })
            expect(payload.exp).toBe(exp)
            expect(issued.expiresAt.getTime()).toBe(exp * 1000)
            expect(issued.connect).toEqual(room === undefined ? { identity: userId } : { identity: userId, roomName: room })
            // Backdated by the skew, never past Twilio's 24 h lifetime, never later than now.
            const iat = payload.iat as number
            expect(iat).toBe(Math.max(nowS - skew, exp - 86_400))
            expect(exp - iat).toBeLessThanOrEqual(86_400)
            expect(payload.jti).toBe(`${API_KEY_SID}-${iat}`)

            // twilio-node, at the same clock, accepts the same input and writes the same token (all but iat/jti under skew).
            vi.setSystemTime(nowMs)
            const theirs = twilioNodeToken({ identity: userId, room, ttl: validityInSeconds, region: region === 'ie1' ? 'ie1' : undefined })
            if (iat === nowS) {
              expect(issued.token).toBe(theirs)
            } else {
              const ours = segments(issued.token)
              const oracle = segments(theirs)
              expect(ours.headerJson).toBe(oracle.headerJson)
              expect({ ...ours.payload, iat: 0, jti: '' }).toEqual({ ...oracle.payload, iat: 0, jti: '' })
            }
          },
        ),
        { numRuns },
      )
    },
    TIMEOUT_MS,
  )
})

/** Runs `action`; the outcome must be a CallTokenError (never a token), which is returned. */
async function errorFrom(action: () => Promise<unknown>): Promise<CallTokenError> {
  let outcome: unknown
  try {
    outcome = await action()
  } catch (error) {
    if (isCallTokenError(error)) return error
    throw error
  }
  throw new Error(`expected a CallTokenError, got a token: ${JSON.stringify(outcome)}`)
}

describe('property: random invalid input always gives a CallTokenError, never a token', () => {
  const provider = providers.none
  const options = { provider, policy: policyFor(5), now: () => Date.UTC(2026, 10, 24) }

  it(
    'bad identities, rooms, validities and extra fields are rejected as input errors without the secret',
    async () => {
      const invalidInput = fc.oneof(
        fc.record({ userId: badIdentity, callId: twilioName }),
        fc.record({ userId: twilioName, callId: badName }),
        fc.record({ userId: twilioName, callId: twilioName, validityInSeconds: badValidity }),
        fc.record({ userId: twilioName, callId: twilioName, callType: fc.string() }),
        fc.record({ userId: twilioName, callId: twilioName, ttl: fc.integer({ min: 1, max: 86_400 }) }),
      )
      await fc.assert(
        fc.asyncProperty(invalidInput, fc.constantFrom('user', 'call'), async (input, kind) => {
          const error = await errorFrom(() =>
            kind === 'call' ? createCallToken(input as never, options) : createUserToken(input as never, options),
          )
          expect(['ERR_CALLTOKEN_INVALID_INPUT', 'ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE']).toContain(error.code)
          expect(error.issues?.length).toBeGreaterThan(0)
          expect(errorText(error)).not.toContain(API_KEY_SECRET)
        }),
        { numRuns },
      )
    },
    TIMEOUT_MS,
  )

  it(
    'malformed SIDs are configuration errors whose message is one of a few fixed texts (so no value is echoed)',
    async () => {
      const messageOf = (options: unknown): string => {
        try {
          twilio(options as TwilioOptions)
        } catch (error) {
          if (isCallTokenError(error) && error.code === 'ERR_CALLTOKEN_INVALID_CONFIG') return error.message
          throw error
        }
        throw new Error('expected ERR_CALLTOKEN_INVALID_CONFIG, but twilio() accepted the options')
      }
      // Every message the SID checks can give: missing, the other kind of SID, malformed.
      const fixedMessages = new Set(
        (['accountSid', 'apiKeySid'] as const).flatMap((field) =>
          ['', field === 'accountSid' ? API_KEY_SID : ACCOUNT_SID, 'x'].map((sid) => messageOf({ ...credentials, [field]: sid })),
        ),
      )
      expect(fixedMessages.size).toBe(6)

      const notASid = fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.tuple(fc.constantFrom('AC', 'SK', 'ac', 'sk', 'AC ', 'US'), fc.string({ unit: 'grapheme-ascii', maxLength: 36 })).map(([p, s]) => p + s),
        fc.stringMatching(/^(AC|SK)[0-9a-f]{30,34}$/),
      )
      await fc.assert(
        fc.property(notASid, fc.constantFrom('accountSid', 'apiKeySid'), (sid, field) => {
          const valid = field === 'accountSid' ? /^AC[0-9a-fA-F]{32}$/ : /^SK[0-9a-fA-F]{32}$/
          fc.pre(!valid.test(sid.trim()))
          expect(fixedMessages).toContain(messageOf({ ...credentials, [field]: sid }))
        }),
        { numRuns },
      )
    },
    TIMEOUT_MS,
  )
})
