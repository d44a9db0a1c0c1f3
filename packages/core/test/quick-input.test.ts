import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { INPUT_KEYS, inputSchemas } from '../src/input'
import { quickRequest } from '../src/quick-input'
import type { ProviderLimits, TokenKind } from '../src/types'

// quickRequest skips the schemas for plainly valid input. It must never accept what they refuse, and must give
// exactly what they give when it accepts.
const LIMITS: Record<string, ProviderLimits> = {
  'stream-like': {
    minValiditySeconds: 1,
    maxValiditySeconds: Number.MAX_SAFE_INTEGER,
    userId: { pattern: /^[\w@-]+$/, maxLength: 16 },
    callId: { pattern: /^[\w-]+$/, maxLength: 12 },
    callType: { pattern: /^[a-z]+$/, maxLength: 8 },
  },
  'agora-like': {
    minValiditySeconds: 1,
    maxValiditySeconds: 86_400,
    userId: { maxBytes: 10, check: (v) => (v.startsWith(' ') ? 'no leading space' : undefined) },
    callId: { maxBytes: 8 },
    callType: false,
  },
}

const text = fc.oneof(fc.constantFrom('alice', 'bob-2', 'default', 'ünï', 'a b', '', ' x', 'x'.repeat(20), 'call_1'), fc.string({ maxLength: 14 }))
const value = fc.oneof(
  text,
  fc.constantFrom(undefined, null, 0, 1, 60, 3600, 1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 2e9, '3600', true, [], {}),
  fc.integer({ min: -10, max: 1e10 }),
)
const input = fc.oneof(
  fc.record(
    { userId: value, callId: value, callType: value, role: value, validityInSeconds: value, extra: value },
    { requiredKeys: [] },
  ),
  fc.record({ userId: text, callId: fc.option(text, { nil: undefined }), validityInSeconds: fc.option(fc.integer({ min: 1, max: 90_000 }), { nil: undefined }) }, { requiredKeys: ['userId'] }),
  fc.constantFrom(null, undefined, 'alice', 42, [], Object.create(null), new Map()),
)

describe('quickRequest agrees with the input schemas', () => {
  for (const [name, limits] of Object.entries(LIMITS)) {
    const schemas = inputSchemas(name, limits)
    for (const kind of ['user', 'call'] as TokenKind[]) {
      it(`${name}, ${kind} tokens: never accepts what the schemas refuse, gives what they give, and takes every plain valid input`, () => {
        let taken = 0
        fc.assert(
          fc.property(input, (given) => {
            const fast = quickRequest(kind, given, limits)
            const parsed = schemas[kind].safeParse(given)
            if (fast === undefined) {
              // Left to the schemas: only what they refuse, or what is not plain (not an Object, an undefined field, an unknown key).
              const plain = parsed.success && Object.getPrototypeOf(given) === Object.prototype && Object.values(given as object).every((v) => v !== undefined) && Object.keys(given as object).every((k) => k !== 'extra' && (kind === 'call' || k !== 'role'))
              expect(plain, JSON.stringify(given)).toBe(false)
              return
            }
            taken++
            expect(parsed.success, JSON.stringify(given)).toBe(true)
            expect(fast).toStrictEqual({ kind, ...parsed.data })
          }),
          { numRuns: 3000 },
        )
        expect(taken).toBeGreaterThan(20) // the accepting branch ran, not only the refusing one
      })
    }
  }

  it("knows the schemas' fields", () => {
    const schemas = inputSchemas('stream-like', LIMITS['stream-like']!) as unknown as Record<'user' | 'call', { shape: object }>
    for (const kind of ['user', 'call'] as const) expect([...INPUT_KEYS[kind]].sort()).toEqual(Object.keys(schemas[kind].shape).sort())
  })

  it('takes the usual inputs (so the mint skips the schemas)', () => {
    const limits = LIMITS['stream-like']!
    expect(quickRequest('call', { userId: 'alice', callId: 'standup', role: 'moderator', validityInSeconds: 600 }, limits)).toStrictEqual({
      kind: 'call',
      userId: 'alice',
      callId: 'standup',
      role: 'moderator',
      validityInSeconds: 600,
    })
    expect(quickRequest('user', { userId: 'alice' }, limits)).toStrictEqual({ kind: 'user', userId: 'alice' })
    expect(quickRequest('user', { userId: 'alice', role: 'admin' }, limits)).toBeUndefined()
  })
})
