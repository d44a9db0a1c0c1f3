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
import { errorText, expectCallTokenError, expectNoSecret } from './expect-error'

/** What the provider's own tool read from a token, in calltoken's words (a DecodedToken without `provider` and `claims`). */
export type OracleReading = Omit<DecodedToken, 'provider' | 'claims'>

export interface ConformanceOptions {
  /** The adapter under test, with test credentials. */
  provider: CallTokenProvider
  /** The same adapter with other credentials: its tokens must not verify with `provider`. */
  otherProvider: CallTokenProvider
  /** The credentials of `provider`, which must appear in no error, result or provider object. */
  secrets: readonly string[]
  /**
   * Reads a token of `provider` with the provider's official SDK or tool (never the adapter's own decoder),
   * checking its signature with `provider`'s credentials, and throws when the tool refuses the token. Every claim
   * the suite checks is read through it, so the adapter cannot agree with itself by mistake.
   *
   * @example
   * oracle: (token) => {
   *   const claims = jsonwebtoken.verify(token, apiSecret, { algorithms: ['HS256'] }) as Record<string, any>
   *   return { userId: claims.sub, callId: claims.room, providerRole: claims.role, issuedAt: claims.iat, expiresAt: claims.exp }
   * }
   */
  oracle(token: string): OracleReading | Promise<OracleReading>
  /** How the adapter is made, to check its option rules (unknown options and short secrets are refused). */
  adapter: {
    create(options: unknown): CallTokenProvider
    /** Options that work. */
    options: Readonly<Record<string, unknown>>
    /** The option holding the secret. */
    secretOption: string
  }
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

/**
 * The behaviour every calltoken adapter shares, as one vitest suite: timing, validity range, roles, verification,
 * input validation, option rules and secrecy, with claims read by `oracle`. Call it once from a test file.
 *
 * @example
 * runProviderConformance({
 *   provider: acme({ apiKey, apiSecret }),
 *   otherProvider: acme({ apiKey, apiSecret: otherSecret }),
 *   secrets: [apiSecret],
 *   oracle: (token) => readWithAcmeSdk(token, apiSecret),
 *   adapter: { create: (options) => acme(options as AcmeOptions), options: { apiKey, apiSecret }, secretOption: 'apiSecret' },
 *   invalidUserIds: ['with space'],
 *   invalidCallIds: ['UPPER'],
 *   rolesInToken: true,
 *   deterministic: true,
 * })
 */
export function runProviderConformance(options: ConformanceOptions): void {
  const { provider, otherProvider, secrets, oracle, rolesInToken, deterministic } = options
  const { userId, callId } = options.sample ?? { userId: 'alice', callId: 'team-meeting-123' }
  const now = fixedClock()
  const service = createTokenService({ provider, now })
  const hasCallTypes = provider.limits.callType !== false
  // Zoom's and Daily's tokens are always for one call: such a provider refuses a user token without a callId.
  const userTokenNeedsCall = provider.limits.userTokenNeedsCall
  // A short validity the provider accepts: 10 minutes, or its minimum when that is longer (Zoom: 30 minutes).
  const shortValidity = Math.max(600, provider.limits.minValiditySeconds)

  describe(`${provider.id}: provider conformance`, () => {
    it('call token, read by the oracle: expiry = now + validity, issue time backdated by the default 5 s skew', async () => {
      const issued = await service.createCallToken({ userId, callId, validityInSeconds: 7200 })
      const read = await oracle(issued.token)
      expect(read).toMatchObject({ userId, callId, issuedAt: FIXED_NOW_S - 5, expiresAt: FIXED_NOW_S + 7200 })
      expect(issued.expiresAt.getTime()).toBe(read.expiresAt * 1000)
      expect(issued.issuedAt.getTime()).toBe(FIXED_NOW_S * 1000)
      expect(issued).toMatchObject({ kind: 'call', provider: provider.id, userId, callId, role: 'member', validityInSeconds: 7200 })
      if (hasCallTypes) expect([issued.callType, read.callType]).toEqual(['default', 'default'])
      else expect(issued.callType).toBeUndefined()
    })

    it("the adapter's own decode and verify agree with the oracle", async () => {
      for (const issued of [
        await service.createCallToken({ userId, callId, role: 'admin' }),
        await service.createUserToken({ userId, callId }),
        ...(userTokenNeedsCall ? [] : [await service.createUserToken({ userId })]),
      ]) {
        const read = await oracle(issued.token)
        const neutral = ({ userId, callId, callType, providerRole, issuedAt, expiresAt }: DecodedToken | OracleReading) => ({
          userId,
          callId,
          ...(hasCallTypes ? { callType } : {}),
          ...(rolesInToken ? { providerRole } : {}),
          issuedAt,
          expiresAt,
        })
        expect(neutral(provider.decode(issued.token))).toEqual(neutral(read))
        expect(neutral(await service.verifyToken(issued.token))).toEqual(neutral(read))
      }
    })

    it('uses the policy default validity (3600 s) and its clock skew', async () => {
      const policy = definePolicy({ clockSkewSeconds: 30 })
      const issued = await createUserToken(userTokenNeedsCall ? { userId, callId } : { userId }, { provider, policy, now })
      const read = await oracle(issued.token)
      expect(read.expiresAt - FIXED_NOW_S).toBe(3600)
      expect(read.issuedAt).toBe(FIXED_NOW_S - 30)
      expect(issued).toMatchObject({ kind: 'user', userId, validityInSeconds: 3600 })
      expect(issued.role).toBeUndefined()
      if (userTokenNeedsCall) return
      expect(read.callId).toBeUndefined()
      expect(issued.callId).toBeUndefined()
    })

    it(userTokenNeedsCall ? 'refuses a user token without a call (every token of this provider is for one call)' : 'mints a user token without a call', async () => {
      if (!userTokenNeedsCall) {
        expect((await service.createUserToken({ userId })).callId).toBeUndefined()
        return
      }
      const error = await expectCallTokenError(() => service.createUserToken({ userId }), 'ERR_CALLTOKEN_INVALID_INPUT')
      expect(error.issues).toEqual([{ path: 'callId', message: `callId is required: every ${provider.id} token is for one call` }])
    })

    it('a user token restricted to a call carries that call', async () => {
      const issued = await service.createUserToken({ userId, callId, validityInSeconds: shortValidity })
      expect(await oracle(issued.token)).toMatchObject({ userId, callId, expiresAt: FIXED_NOW_S + shortValidity })
      expect(issued).toMatchObject({ kind: 'user', callId })
      expect(issued.role).toBeUndefined()
    })

    it('rejects a validity outside the range, and clamps it when the policy says so', async () => {
      const max = Math.min(86_400, provider.limits.maxValiditySeconds)
      const min = Math.max(60, provider.limits.minValiditySeconds)
      await expectCallTokenError(() => service.createCallToken({ userId, callId, validityInSeconds: max + 1 }), 'ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE')
      await expectCallTokenError(() => service.createCallToken({ userId, callId, validityInSeconds: min - 1 }), 'ERR_CALLTOKEN_VALIDITY_OUT_OF_RANGE')
      const clamped = await createCallToken({ userId, callId, validityInSeconds: max + 1000 }, { provider, now, policy: definePolicy({ validity: { clamp: true } }) })
      const read = await oracle(clamped.token)
      expect(read.expiresAt).toBe(FIXED_NOW_S + max)
      expect(read.expiresAt - read.issuedAt).toBeLessThanOrEqual(provider.limits.maxValiditySeconds)
      expect(clamped.validityInSeconds).toBe(max)
    })

    it('maps every default role, writes it into the token, and rejects a role the policy lacks', async () => {
      for (const role of Object.keys(DEFAULT_ROLES)) {
        const issued = await service.createCallToken({ userId, callId, role })
        expect(issued.role).toBe(role)
        const expected = provider.mapRole(role, service.policy.capabilitiesOf(role))
        expect(expected).toBeTypeOf('string')
        if (rolesInToken) expect((await oracle(issued.token)).providerRole).toBe(expected)
      }
      expect((await service.createCallToken({ userId, callId })).role).toBe('member')
      await expectCallTokenError(() => service.createCallToken({ userId, callId, role: 'superuser' }), 'ERR_CALLTOKEN_ROLE_NOT_ALLOWED')
    })

    it('is deterministic under a fixed clock', async () => {
      const a = await service.createCallToken({ userId, callId, role: 'admin' })
      const b = await service.createCallToken({ userId, callId, role: 'admin' })
      expect(await oracle(a.token)).toEqual(await oracle(b.token))
      expect({ ...a, token: '' }).toEqual({ ...b, token: '' })
      if (deterministic) expect(a.token).toBe(b.token)
    })

    it('verifies its own tokens and rejects expired, foreign and tampered ones; the oracle refuses foreign ones too', async () => {
      const issued = await service.createCallToken({ userId, callId, validityInSeconds: shortValidity })
      expect(await service.verifyToken(issued.token)).toMatchObject({ userId, callId, expiresAt: FIXED_NOW_S + shortValidity })
      expect((await provider.verify(issued.token, { now: fixedClock(FIXED_NOW_MS + (shortValidity - 1) * 1000) })).userId).toBe(userId)
      await expectCallTokenError(() => provider.verify(issued.token, { now: fixedClock(FIXED_NOW_MS + shortValidity * 1000) }), 'ERR_CALLTOKEN_TOKEN_EXPIRED')

      const foreign = await createCallToken({ userId, callId }, { provider: otherProvider, now })
      await expectCallTokenError(() => service.verifyToken(foreign.token), 'ERR_CALLTOKEN_INVALID_TOKEN')
      // The oracle must check signatures, or every check above through it would prove less than it says.
      await expect(Promise.resolve().then(() => oracle(foreign.token))).rejects.toBeDefined()

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
        ...(hasCallTypes ? [] : [{ userId, callId, callType: 'default' }]),
        // Extras only by the adapter's names; callIds only where a token may name several calls.
        { userId, callId, extras: { notAnExtraOfAnyProvider: true } },
        { userId, callId, extras: 'name' },
        ...(provider.limits.maxCallsPerToken > 1 ? [{ userId, callIds: [callId, callId] }, { userId, callId, callIds: [callId] }] : [{ userId, callIds: [callId] }]),
        ...options.invalidUserIds.map((id) => ({ userId: id, callId })),
        ...options.invalidCallIds.map((id) => ({ userId, callId: id })),
      ]
      for (const input of bad) {
        const error = await expectCallTokenError(() => service.createCallToken(input as never), 'ERR_CALLTOKEN_INVALID_INPUT')
        expect(error.status).toBe(422)
        expect(error.issues?.length).toBeGreaterThan(0)
        expectNoSecret(error, secrets)
      }

      const input = Object.freeze({ userId, callId, role: 'moderator', validityInSeconds: shortValidity + 300 })
      const copy = structuredClone(input)
      await service.createCallToken(input)
      expect(input).toEqual(copy)
    })

    it('refuses unknown options (naming the known ones) and a 3-character secret, never showing a value', async () => {
      const { create, options: valid, secretOption } = options.adapter
      expect(create(valid).id).toBe(provider.id)
      const misspelt = `${secretOption}x`
      const unknown = await expectCallTokenError(() => create({ ...valid, [misspelt]: valid[secretOption] }), 'ERR_CALLTOKEN_INVALID_CONFIG')
      expect(unknown.message).toContain(`${provider.id}: unknown option "${misspelt}" (did you mean ${secretOption}?); the options are `)
      for (const key of Object.keys(valid)) expect(unknown.message).toContain(key)
      const short = await expectCallTokenError(() => create({ ...valid, [secretOption]: 'abc' }), 'ERR_CALLTOKEN_INVALID_CONFIG')
      expect(short.message).toContain(secretOption)
      for (const error of [unknown, short]) {
        expectNoSecret(error, [...secrets, 'abc'])
        expect(errorText(error)).not.toContain(String(valid[secretOption]))
      }
    })

    it('exposes no credential in the provider object, its results or its errors', async () => {
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
