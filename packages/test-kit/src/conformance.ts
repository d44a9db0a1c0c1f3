import {
  createCallToken,
  createTokenService,
  createUserToken,
  definePolicy,
  DEFAULT_ROLES,
  type CallTokenProvider,
  type DecodedToken,
} from '@calltoken/core'
import { describe, expect, it } from 'vitest'
import { FIXED_NOW_MS, FIXED_NOW_S, fixedClock } from './clock'
import { expectCallTokenError, expectNoSecret } from './expect-error'

export interface ConformanceOptions {
  /** The adapter under test, with test credentials. */
  provider: CallTokenProvider
  /** The same adapter with other credentials: its tokens must not verify with `provider`. */
  otherProvider: CallTokenProvider
  /** The credentials of `provider`, which must appear in no error. */
  secrets: readonly string[]
  /** Identifiers this provider accepts. Default alice / team-meeting-123. */
  sample?: { userId: string; callId: string }
  /** User ids this provider rejects. */
  invalidUserIds: readonly string[]
  /** Call ids this provider rejects. */
  invalidCallIds: readonly string[]
  /** Whether the token carries the provider role (Twilio's has none). */
  rolesInToken: boolean
  /** Whether the same input and clock give the same bytes (false when the format has a random salt). */
  deterministic: boolean
}

/** The behaviour every calltoken adapter shares; each adapter's test file calls this once. */
export function runProviderConformance(options: ConformanceOptions): void {
  const { provider, otherProvider, secrets, rolesInToken, deterministic } = options
  const { userId, callId } = options.sample ?? { userId: 'alice', callId: 'team-meeting-123' }
  const now = fixedClock()
  const service = createTokenService({ provider, now })

  describe(`${provider.id}: provider conformance`, () => {
    it('call token: expiry = now + validity, issue time backdated by the default 5 s skew', async () => {
      const issued = await service.createCallToken({ userId, callId, validityInSeconds: 7200 })
      const decoded = provider.decode(issued.token)
      expect(decoded.expiresAt).toBe(FIXED_NOW_S + 7200)
      expect(decoded.issuedAt).toBe(FIXED_NOW_S - 5)
      expect(issued.expiresAt.getTime()).toBe(decoded.expiresAt * 1000)
      expect(issued.issuedAt.getTime()).toBe(FIXED_NOW_S * 1000)
      expect(issued.validityInSeconds).toBe(7200)
      expect(decoded).toMatchObject({ provider: provider.id, userId, callId })
    })

    it('uses the policy default validity (3600 s) and its clock skew', async () => {
      const policy = definePolicy({ clockSkewSeconds: 30 })
      const issued = await createUserToken({ userId }, { provider, policy, now })
      const decoded = provider.decode(issued.token)
      expect(decoded.expiresAt - FIXED_NOW_S).toBe(3600)
      expect(decoded.issuedAt).toBe(FIXED_NOW_S - 30)
      expect(decoded.callId).toBeUndefined()
    })

    it('user token restricted to a call carries that call', async () => {
      const issued = await service.createUserToken({ userId, callId, validityInSeconds: 600 })
      expect(provider.decode(issued.token)).toMatchObject({ userId, callId, expiresAt: FIXED_NOW_S + 600 })
      expect(issued.callId).toBe(callId)
    })

    it('rejects a validity outside the range, and clamps it when the policy says so', async () => {
      const max = Math.min(86_400, provider.limits.maxValiditySeconds)
      const min = Math.max(60, provider.limits.minValiditySeconds)
      await expectCallTokenError(() => service.createCallToken({ userId, callId, validityInSeconds: max + 1 }), 'ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE')
      await expectCallTokenError(() => service.createCallToken({ userId, callId, validityInSeconds: min - 1 }), 'ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE')
      const clamped = await createCallToken({ userId, callId, validityInSeconds: max + 1000 }, { provider, now, policy: definePolicy({ validity: { clamp: true } }) })
      expect(provider.decode(clamped.token).expiresAt).toBe(FIXED_NOW_S + max)
      expect(clamped.validityInSeconds).toBe(max)
    })

    it('maps every default role, and rejects a role the policy lacks', async () => {
      for (const role of Object.keys(DEFAULT_ROLES)) {
        const issued = await service.createCallToken({ userId, callId, role })
        expect(issued.role).toBe(role)
        const expected = provider.mapRole(role, service.policy.capabilitiesOf(role))
        expect(expected).toBeTypeOf('string')
        if (rolesInToken) expect(provider.decode(issued.token).providerRole).toBe(expected)
      }
      expect((await service.createCallToken({ userId, callId })).role).toBe('member')
      await expectCallTokenError(() => service.createCallToken({ userId, callId, role: 'superuser' }), 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED')
    })

    it('is deterministic under a fixed clock', async () => {
      const a = await service.createCallToken({ userId, callId, role: 'admin' })
      const b = await service.createCallToken({ userId, callId, role: 'admin' })
      const neutral = (d: DecodedToken) => ({ ...d, claims: undefined })
      expect(neutral(provider.decode(a.token))).toEqual(neutral(provider.decode(b.token)))
      expect({ ...a, token: '' }).toEqual({ ...b, token: '' })
      if (deterministic) expect(a.token).toBe(b.token)
    })

    it('verifies its own tokens and rejects expired, foreign and tampered ones', async () => {
      const issued = await service.createCallToken({ userId, callId, validityInSeconds: 600 })
      expect(service.verifyToken(issued.token)).toMatchObject({ userId, callId, expiresAt: FIXED_NOW_S + 600 })
      expect(provider.verify(issued.token, { now: fixedClock(FIXED_NOW_MS + 599_000) }).userId).toBe(userId)
      await expectCallTokenError(() => provider.verify(issued.token, { now: fixedClock(FIXED_NOW_MS + 600_000) }), 'ERR_CALLTOKEN_TOKEN_EXPIRED')

      const foreign = await createCallToken({ userId, callId }, { provider: otherProvider, now })
      await expectCallTokenError(() => service.verifyToken(foreign.token), 'ERR_CALLTOKEN_INVALID_TOKEN')

      for (const tampered of tamperings(issued.token)) {
        await expectCallTokenError(() => service.verifyToken(tampered), 'ERR_CALLTOKEN_INVALID_TOKEN')
      }
      for (const junk of ['', 'not-a-token', '...', 'eyJ.eyJ.x']) {
        await expectCallTokenError(() => service.verifyToken(junk), 'ERR_CALLTOKEN_INVALID_TOKEN')
      }
    })

    it('rejects invalid input with INVALID_INPUT, never a token, and never mutates the input', async () => {
      const bad: unknown[] = [
        undefined,
        null,
        'alice',
        {},
        { callId },
        { userId, callId, validityInSeconds: '60' },
        { userId, callId, validityInSeconds: 60.5 },
        { userId, callId, validityInSeconds: Number.NaN },
        { userId, callId, validityInSeconds: 1_900_000_000 },
        { userId, callId, ttl: 60 },
        { userId, callId: '' },
        ...options.invalidUserIds.map((id) => ({ userId: id, callId })),
        ...options.invalidCallIds.map((id) => ({ userId, callId: id })),
      ]
      for (const input of bad) {
        const error = await expectCallTokenError(() => service.createCallToken(input as never), 'ERR_CALLTOKEN_INVALID_INPUT')
        expect(error.status).toBe(422)
        expect(error.issues?.length).toBeGreaterThan(0)
        expectNoSecret(error, secrets)
      }

      const input = Object.freeze({ userId, callId, role: 'moderator', validityInSeconds: 900 })
      const copy = structuredClone(input)
      await service.createCallToken(input)
      expect(input).toEqual(copy)
    })

    it('exposes no credential in the provider object or its tokens', async () => {
      const visible = `${JSON.stringify(provider)} ${Object.values(provider).join(' ')}`
      for (const secret of secrets) expect(visible.includes(secret)).toBe(false)
      const issued = await service.createCallToken({ userId, callId })
      for (const secret of secrets) expect(JSON.stringify(issued).includes(secret)).toBe(false)
      expect(provider.redact(`x ${secrets.join(' ')} y`)).not.toMatch(new RegExp(secrets.map(escape).join('|')))
    })
  })
}

/** Copies of a token with one character changed, at every position (A↔B flips the lowest bit of a base64 digit). */
function tamperings(token: string): string[] {
  return [...token].map((char, i) => token.slice(0, i) + (char === 'A' ? 'B' : 'A') + token.slice(i + 1))
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
