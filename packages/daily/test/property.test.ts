import { createCallToken, definePolicy, isCallTokenError, type Policy } from '@calltoken/core'
import { daily } from '@calltoken/daily'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { credentials, DOMAIN_ID, joseRead } from './fixtures'

// 10,000 runs per property in CI; a quick pass locally.
const numRuns = process.env.CI ? 10_000 : 300
const TIMEOUT_MS = 120_000

const provider = daily(credentials)
const NOW_MS = Date.now()
const policies = new Map<number, Policy>()
const policyFor = (skew: number) => {
  let policy = policies.get(skew)
  if (!policy) policies.set(skew, (policy = definePolicy({ clockSkewSeconds: skew, validity: { minSeconds: 1 }, roles: { viewer: ['join-call'] } })))
  return policy
}

const roomName = fc.string({ unit: fc.constantFrom(...'abcxyzABCXYZ0189-_'), minLength: 1, maxLength: 128 })
const userId = fc.string({ unit: fc.oneof(fc.constantFrom(...'abcXYZ019-_.@ '), fc.integer({ min: 0x80, max: 0xd7ff }).map((c) => String.fromCharCode(c))), minLength: 1, maxLength: 36 })
const role = fc.constantFrom('admin', 'moderator', 'member', 'viewer')
const extras = fc.record(
  { userName: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/[\uD800-\uDFFF]/.test(s)), ejectAtExpiry: fc.boolean(), ejectAfterSeconds: fc.integer({ min: 1, max: 86_400 }) },
  { requiredKeys: [] },
)

describe('Daily tokens for any valid input are what jose reads back', () => {
  it(
    'r = callId, ud = userId, d = the domain, o only for admin, iat = nbf = now − skew, exp = now + validity',
    async () => {
      await fc.assert(
        fc.asyncProperty(userId, roomName, role, fc.integer({ min: 1, max: 86_400 }), fc.integer({ min: 0, max: 600 }), extras, async (ud, r, rl, validity, skew, given) => {
          const issued = await createCallToken({ userId: ud, callId: r, role: rl, validityInSeconds: validity, extras: given }, { provider, policy: policyFor(skew), now: () => NOW_MS })
          const claims = await joseRead(issued.token, { currentDate: new Date(NOW_MS) })
          const nowS = Math.floor(NOW_MS / 1000)
          const iat = nowS - skew
          expect(claims).toEqual({
            r,
            d: DOMAIN_ID,
            ud,
            ...(given.userName === undefined ? {} : { u: given.userName }),
            ...(rl === 'admin' ? { o: true } : {}),
            iat,
            nbf: iat,
            exp: nowS + validity,
            ...(given.ejectAtExpiry === undefined ? {} : { ejt: given.ejectAtExpiry }),
            ...(given.ejectAfterSeconds === undefined ? {} : { eje: given.ejectAfterSeconds }),
          })
        }),
        { numRuns },
      )
    },
    TIMEOUT_MS,
  )
})

describe('invalid input is a CallTokenError, never a token', () => {
  it(
    'a room name outside Daily’s set or over 128 characters, a user id over 36, no room',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.tuple(roomName, fc.constantFrom(' ', '.', 'é', '/', ':', '#')).map(([r, bad]) => ({ userId: 'a', callId: r + bad })),
            fc.string({ unit: fc.constantFrom(...'abc-_'), minLength: 129, maxLength: 200 }).map((callId) => ({ userId: 'a', callId })),
            fc.string({ minLength: 37, maxLength: 60 }).map((u) => ({ userId: u, callId: 'r' })),
            fc.oneof(fc.integer(), fc.constant(''), fc.constant(null)).map((userName) => ({ userId: 'a', callId: 'r', extras: { userName } })),
            fc.oneof(fc.integer({ max: 0 }), fc.double({ noInteger: true }), fc.string()).map((eje) => ({ userId: 'a', callId: 'r', extras: { ejectAfterSeconds: eje } })),
            fc.string({ minLength: 1 }).filter((k) => !['userName', 'ejectAtExpiry', 'ejectAfterSeconds'].includes(k)).map((k) => ({ userId: 'a', callId: 'r', extras: { [k]: true } })),
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
