import { createCallToken, createUserToken, definePolicy, isCallTokenError, type Policy } from '@calltoken/core'
import { livekit } from '@calltoken/livekit'
import fc from 'fast-check'
import { TokenVerifier } from 'livekit-server-sdk'
import { describe, expect, it } from 'vitest'
import { API_KEY, API_SECRET, credentials } from './fixtures'

// 10,000 runs per property in CI; a quick pass locally.
const numRuns = process.env.CI ? 10_000 : 300
const TIMEOUT_MS = 120_000

const provider = livekit(credentials)
const verifier = new TokenVerifier(API_KEY, API_SECRET)
const encoder = new TextEncoder()
const NOW_MS = Date.now()

const policies = new Map<number, Policy>()
const policyFor = (skew: number) => {
  let policy = policies.get(skew)
  if (!policy) policies.set(skew, (policy = definePolicy({ clockSkewSeconds: skew, validity: { minSeconds: 1 }, roles: { viewer: ['join-call'] } })))
  return policy
}

const codePoint = (min: number, max: number) => fc.integer({ min, max }).map((cp) => String.fromCodePoint(cp))
const anyChar = fc.oneof(
  { weight: 4, arbitrary: codePoint(0x20, 0x7e) },
  { weight: 1, arbitrary: codePoint(0x00, 0x1f) },
  { weight: 2, arbitrary: codePoint(0x80, 0xd7ff) },
  { weight: 2, arbitrary: codePoint(0x10000, 0x10ffff) },
)
/** 1..256 UTF-8 bytes of well-formed Unicode, often right at the boundary. */
const liveKitId = fc.string({ unit: anyChar, minLength: 1, maxLength: 256 }).map((s) => {
  const chars = [...s]
  while (encoder.encode(chars.join('')).length > 256) chars.pop()
  return chars.join('')
}).filter((s) => s.length > 0)
const tooLong = fc.string({ unit: anyChar, minLength: 1, maxLength: 80 }).map((s) => {
  let out = s
  while (encoder.encode(out).length <= 256) out += s
  return out
})
const role = fc.constantFrom('admin', 'moderator', 'member', 'viewer')

describe('LiveKit tokens for any valid input are what TokenVerifier reads back', () => {
  it(
    'call tokens: identity, room, grants of the role, nbf = now − skew, exp = now + validity',
    async () => {
      await fc.assert(
        fc.asyncProperty(liveKitId, liveKitId, role, fc.integer({ min: 1, max: 86_400 }), fc.integer({ min: 0, max: 600 }), async (userId, callId, r, validity, skew) => {
          const issued = await createCallToken({ userId, callId, role: r, validityInSeconds: validity }, { provider, policy: policyFor(skew), now: () => NOW_MS })
          const claims = (await verifier.verify(issued.token, 1e10)) as Record<string, unknown> & { video: Record<string, unknown> }
          const nowS = Math.floor(NOW_MS / 1000)
          expect(claims.sub).toBe(userId)
          expect(claims.video.room).toBe(callId)
          expect(claims.video.roomJoin).toBe(true)
          expect(claims.video.roomAdmin).toBe(r === 'admin')
          expect(claims.video.canPublish).toBe(r !== 'viewer')
          expect(claims.video.canSubscribe).toBe(true)
          expect(claims.exp).toBe(nowS + validity)
          expect(claims.nbf).toBe(nowS - skew)
          expect(issued.role).toBe(r)
        }),
        { numRuns },
      )
    },
    TIMEOUT_MS,
  )

  it(
    'user tokens: the identity, the room when given, and no room permission without one',
    async () => {
      await fc.assert(
        fc.asyncProperty(liveKitId, fc.option(liveKitId, { nil: undefined }), async (userId, callId) => {
          const issued = await createUserToken({ userId, callId }, { provider, now: () => NOW_MS })
          const claims = (await verifier.verify(issued.token, 1e10)) as Record<string, unknown> & { video: Record<string, unknown> }
          expect(claims.sub).toBe(userId)
          expect(claims.video.roomJoin).toBe(callId !== undefined)
          expect(claims.video.room).toBe(callId)
        }),
        { numRuns },
      )
    },
    TIMEOUT_MS,
  )
})

describe('invalid input is a CallTokenError, never a token', () => {
  const invalidId = fc.oneof(
    fc.constant(''),
    tooLong,
    liveKitId.chain((s) => fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => s + String.fromCharCode(u))),
    fc.constantFrom(null, 42, true, [], {}),
  )
  it(
    'a bad userId or callId, an unknown role, or a validity out of range',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            invalidId.map((userId) => ({ userId, callId: 'room' })),
            invalidId.map((callId) => ({ userId: 'alice', callId })),
            fc.string({ maxLength: 10 }).filter((r) => !['admin', 'moderator', 'member'].includes(r)).map((r) => ({ userId: 'alice', callId: 'room', role: r })),
            fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 86_401, max: 1e8 }), fc.double({ noInteger: true })).map((v) => ({ userId: 'a', callId: 'r', validityInSeconds: v })),
          ),
          async (input) => {
            let error: unknown
            let issued: unknown
            try {
              issued = await createCallToken(input as never, { provider })
            } catch (caught) {
              error = caught
            }
            expect(issued).toBeUndefined()
            expect(isCallTokenError(error)).toBe(true)
          },
        ),
        { numRuns },
      )
    },
    TIMEOUT_MS,
  )
})
