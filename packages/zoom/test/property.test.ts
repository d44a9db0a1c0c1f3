import { createCallToken, definePolicy, isCallTokenError, type Policy } from '@calltoken/core'
import { zoom } from '@calltoken/zoom'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { credentials, jsrsasignRead } from './fixtures'

// 10,000 runs per property in CI; a quick pass locally.
const numRuns = process.env.CI ? 10_000 : 300
const TIMEOUT_MS = 120_000

const provider = zoom(credentials)
const NOW_MS = Date.now()
const policies = new Map<number, Policy>()
const policyFor = (skew: number) => {
  let policy = policies.get(skew)
  if (!policy) policies.set(skew, (policy = definePolicy({ clockSkewSeconds: skew, validity: { maxSeconds: 172_800 }, roles: { viewer: ['join-call'] } })))
  return policy
}

const SESSION_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%&()+-:;<=.>?@[]^_{}|~,\\'
const sessionName = fc.string({ unit: fc.constantFrom(...SESSION_CHARS), minLength: 1, maxLength: 200 })
const userKey = fc.string({ unit: fc.oneof(fc.constantFrom(...'abcXYZ019-_.@'), fc.integer({ min: 0x80, max: 0xd7ff }).map((c) => String.fromCharCode(c))), minLength: 1, maxLength: 36 })
const role = fc.constantFrom('admin', 'moderator', 'member', 'viewer')

describe('Zoom tokens for any valid input are what jsrsasign reads back', () => {
  it(
    'tpc = callId as given, user_key = userId, role_type 1 only for admin, iat = now − skew, exp = now + validity',
    async () => {
      await fc.assert(
        fc.asyncProperty(userKey, sessionName, role, fc.integer({ min: 1800, max: 172_800 }), fc.integer({ min: 0, max: 600 }), async (userId, callId, r, validity, skew) => {
          const issued = await createCallToken({ userId, callId, role: r, validityInSeconds: validity }, { provider, policy: policyFor(skew), now: () => NOW_MS })
          const claims = jsrsasignRead(issued.token)
          const nowS = Math.floor(NOW_MS / 1000)
          expect(claims).toMatchObject({ tpc: callId, user_key: userId, role_type: r === 'admin' ? 1 : 0, version: 1, exp: nowS + validity })
          const lifetime = (claims.exp as number) - (claims.iat as number)
          expect(lifetime).toBeGreaterThanOrEqual(1800)
          expect(lifetime).toBeLessThanOrEqual(172_800)
          expect(claims.iat).toBe(nowS - Math.min(skew, 172_800 - validity))
        }),
        { numRuns },
      )
    },
    TIMEOUT_MS,
  )
})

describe('invalid input is a CallTokenError, never a token', () => {
  it(
    'a session name outside Zoom’s set or over 200 characters, a user key over 36, a validity outside 1800..172 800',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.tuple(sessionName, fc.constantFrom('"', "'", 'é', '\t', '`', '/', '*')).map(([s, bad]) => ({ userId: 'a', callId: s + bad })),
            fc.string({ unit: fc.constantFrom(...SESSION_CHARS), minLength: 201, maxLength: 260 }).map((callId) => ({ userId: 'a', callId })),
            fc.string({ minLength: 37, maxLength: 60 }).map((userId) => ({ userId, callId: 's' })),
            fc.oneof(fc.integer({ min: 1, max: 1799 }), fc.integer({ min: 172_801, max: 1e8 })).map((v) => ({ userId: 'a', callId: 's', validityInSeconds: v })),
          ),
          async (input) => {
            let error: unknown
            let issued: unknown
            try {
              issued = await createCallToken(input as never, { provider, policy: policyFor(5) })
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
