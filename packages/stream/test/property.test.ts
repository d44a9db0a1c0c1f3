import { createTokenService, definePolicy, isCallTokenError } from '@calltoken/core'
import { stream } from '@calltoken/stream'
import { FIXED_NOW_MS, FIXED_NOW_S, fixedClock } from '@calltoken/test-kit'
import { StreamClient } from '@stream-io/node-sdk'
import fc from 'fast-check'
import { jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'

const apiKey = 'propkey'
const apiSecret = 'tfbwgg388qybviunnosvva26fpdlr7vzvh881mw73gy9aorvfoapu8mv1x7tud20'
const sdk = new StreamClient(apiKey, apiSecret)
// Skew 1 s = the SDK's own iat backdating, so the same claims must give the same bytes.
const service = createTokenService({ provider: stream({ apiKey, apiSecret }), policy: definePolicy({ clockSkewSeconds: 1 }), now: fixedClock() })
const key = new TextEncoder().encode(apiSecret)
const numRuns = process.env.CI ? 10_000 : 300

const chars = (alphabet: string, maxLength: number) => fc.string({ unit: fc.constantFrom(...alphabet), minLength: 1, maxLength })
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const userId = chars(`${ALNUM}@_-`, 64)
const callPart = chars(`${ALNUM}_-`, 64)
const validity = fc.integer({ min: 60, max: 86_400 })
const role = fc.constantFrom('admin', 'moderator', 'member')
const STREAM_ROLE: Record<string, string> = { admin: 'admin', moderator: 'moderator', member: 'user' }

/** A string with at least one character Stream rejects in ids. */
const badId = fc
  .tuple(fc.string({ maxLength: 10 }), fc.constantFrom(' ', ':', '|', '/', '.', '!', 'é', '#', '\n'), fc.string({ maxLength: 10 }))
  .map(([a, bad, b]) => a + bad + b)

describe('stream properties', { timeout: 120_000 }, () => {
  it('valid call inputs always give the token the official SDK gives, and it verifies with the secret', async () => {
    await fc.assert(
      fc.asyncProperty(userId, callPart, callPart, role, validity, async (u, callId, callType, r, v) => {
        const issued = await service.createCallToken({ userId: u, callId, callType, role: r, validityInSeconds: v })
        const expected = sdk.generateCallToken({ user_id: u, call_cids: [`${callType}:${callId}`], role: STREAM_ROLE[r], iat: FIXED_NOW_S - 1, exp: FIXED_NOW_S + v })
        expect(issued.token).toBe(expected)
        const { payload } = await jwtVerify(issued.token, key, { currentDate: new Date(FIXED_NOW_MS) })
        expect(payload).toMatchObject({ user_id: u, exp: FIXED_NOW_S + v })
      }),
      { numRuns },
    )
  })

  it('valid call inputs for several calls are byte-identical to generateCallToken with the same call_cids', async () => {
    await fc.assert(
      fc.asyncProperty(userId, fc.uniqueArray(callPart, { minLength: 1, maxLength: 25 }), callPart, role, validity, async (u, callIds, callType, r, v) => {
        const issued = await service.createCallToken({ userId: u, callIds, callType, role: r, validityInSeconds: v })
        const call_cids = callIds.map((id) => `${callType}:${id}`)
        expect(issued.token).toBe(sdk.generateCallToken({ user_id: u, call_cids, role: STREAM_ROLE[r], iat: FIXED_NOW_S - 1, exp: FIXED_NOW_S + v }))
        expect(issued.callIds).toEqual(callIds)
      }),
      // Up to 25 ids each: fewer runs than the one-call property, the same coverage of lengths.
      { numRuns: Math.min(numRuns, 2000) },
    )
  })

  it('valid user inputs (with and without a call) verify with the same identity, call and expiry', async () => {
    await fc.assert(
      fc.asyncProperty(userId, fc.option(callPart, { nil: undefined }), validity, async (u, callId, v) => {
        const issued = await service.createUserToken({ userId: u, ...(callId === undefined ? {} : { callId }), validityInSeconds: v })
        const { payload } = await jwtVerify(issued.token, key, { currentDate: new Date(FIXED_NOW_MS) })
        expect(payload.user_id).toBe(u)
        expect(payload.exp).toBe(FIXED_NOW_S + v)
        expect(payload.call_cids).toEqual(callId === undefined ? undefined : [`default:${callId}`])
      }),
      { numRuns },
    )
  })

  it('invalid inputs always give a CallTokenError and never a token', async () => {
    const invalid = fc.oneof(
      fc.record({ userId: badId, callId: callPart }),
      fc.record({ userId, callId: badId }),
      fc.record({ userId, callId: callPart, callType: badId }),
      fc.record({ userId, callId: callPart, validityInSeconds: fc.oneof(fc.integer({ max: 59 }), fc.integer({ min: 86_401 })) }),
      fc.record({ userId, callId: callPart, validityInSeconds: fc.double({ noInteger: true }) }),
      fc.record({ userId, callId: callPart, validityInSeconds: fc.string() }),
      fc.record({ userId, callId: callPart, role: fc.string().filter((s) => !['admin', 'moderator', 'member'].includes(s)) }),
      fc.record({ userId: fc.oneof(fc.integer(), fc.constant(null), fc.constant('')), callId: callPart }),
      fc.record({ userId, callIds: fc.array(badId, { minLength: 1, maxLength: 3 }) }),
      fc.record({ userId, callIds: fc.array(callPart, { minLength: 26, maxLength: 30 }) }),
      fc.record({ userId, callId: callPart, callIds: fc.array(callPart, { minLength: 1, maxLength: 3 }) }),
      fc.record({ userId, callIds: callPart.map((id) => [id, id]) }),
      fc.anything().filter((x) => typeof x !== 'object' || x === null || Array.isArray(x)),
    )
    await fc.assert(
      fc.asyncProperty(invalid, async (input) => {
        const outcome = await service.createCallToken(input as never).then(
          (issued) => ({ token: issued.token }),
          (error: unknown) => ({ error }),
        )
        expect('token' in outcome ? `token for ${JSON.stringify(input)}` : isCallTokenError(outcome.error)).toBe(true)
      }),
      { numRuns },
    )
  })
})
