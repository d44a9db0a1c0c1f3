import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { utf8Length } from '../src/utf8-length'
import { INPUT_FIELDS, readInput } from '../src/input'
import type { ProviderLimits, TokenKind } from '../src/types'
import { inputSchemas, zodIssues } from './support/zod-input-schemas'

// readInput is held to zod schemas of the same rules: the same request when they accept, the same problems (path,
// message, order) when they refuse, on random input.
// Thousands of random inputs each: seconds on a loaded 2-core CI machine, past vitest's default 5 s.
const PROPERTY_TIMEOUT_MS = 60_000

const LIMITS: Record<string, ProviderLimits> = {
  'stream-like': {
    minValiditySeconds: 1,
    maxValiditySeconds: Number.MAX_SAFE_INTEGER,
    userId: { pattern: /^[\w@-]+$/, maxLength: 16 },
    callId: { pattern: /^[\w-]+$/, maxLength: 12 },
    callType: { pattern: /^[a-z]+$/, maxLength: 8 },
    userTokenNeedsCall: false,
    maxCallsPerToken: 3,
    extras: [],
  },
  'agora-like': {
    minValiditySeconds: 1,
    maxValiditySeconds: 86_400,
    userId: { maxBytes: 10, check: (v) => (v.startsWith(' ') ? 'no leading space' : undefined) },
    callId: { maxBytes: 8 },
    callType: false,
    userTokenNeedsCall: false,
    maxCallsPerToken: 1,
    extras: ['name', 'metadata'],
  },
}

const text = fc.oneof(fc.constantFrom('alice', 'bob-2', 'default', 'ünï', 'a b', '', ' x', 'x'.repeat(20), 'call_1'), fc.string({ maxLength: 14 }))
const value = fc.oneof(
  text,
  fc.constantFrom(undefined, null, 0, 1, 60, 3600, 1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 2e9, '3600', true, [], {}),
  fc.integer({ min: -10, max: 1e10 }),
)
const inherited = (fields: object) => Object.assign(Object.create({ userId: 'from-prototype', role: 'admin' }), fields)
const callIds = fc.oneof(fc.array(text, { maxLength: 5 }), fc.array(fc.constantFrom('a', 'b', 'c', 'call_1'), { maxLength: 4 }), value)
const extras = fc.oneof(
  value,
  fc.record({ name: value, metadata: value, bogus: value }, { requiredKeys: [] }),
  fc.record({ name: text }).map(inherited),
)
const input = fc.oneof(
  fc.record(
    { userId: value, callId: value, callIds, callType: value, role: value, validityInSeconds: value, extras, extra: value },
    { requiredKeys: [] },
  ),
  fc.record({ userId: text, callId: fc.option(text, { nil: undefined }), validityInSeconds: fc.option(fc.integer({ min: 1, max: 90_000 }), { nil: undefined }) }, { requiredKeys: ['userId'] }),
  fc.record(
    {
      userId: text,
      callIds: fc.array(fc.constantFrom('a', 'b', 'c', 'call_1'), { minLength: 1, maxLength: 4 }),
      extras: fc.record({ name: text, metadata: fc.option(text, { nil: undefined }) }, { requiredKeys: [] }),
    },
    { requiredKeys: ['userId'] },
  ),
  fc.record({ callId: text, validityInSeconds: value }, { requiredKeys: [] }).map(inherited),
  fc.constantFrom(null, undefined, 'alice', 42, [], Object.create(null), new Map(), new Date(0), JSON.parse('{"userId":"a","callId":"b","__proto__":{"role":"admin"}}')),
)

// The one difference by design: the reader leaves out extras fields given as undefined, and extras with none left.
function withoutEmptyExtras(request: unknown): unknown {
  if (Array.isArray(request) || typeof request !== 'object' || request === null || !('extras' in request)) return request
  const { extras, ...rest } = request as { extras?: Record<string, unknown> }
  const defined = Object.entries(extras ?? {}).filter(([, v]) => v !== undefined)
  return defined.length === 0 ? rest : { ...rest, extras: Object.fromEntries(defined) }
}

describe('readInput agrees with zod schemas of the same rules', () => {
  for (const [name, limits] of Object.entries(LIMITS)) {
    const schemas = inputSchemas(name, limits)
    for (const kind of ['user', 'call'] as TokenKind[]) {
      it(`${name}, ${kind} tokens: the same request when they accept, the same problems in the same order when they refuse`, () => {
        let accepted = 0
        let refused = 0
        fc.assert(
          fc.property(input, (given) => {
            const read = readInput(kind, given, name, limits)
            const parsed = schemas[kind].safeParse(given)
            if (parsed.success) {
              accepted++
              expect(withoutEmptyExtras(read), JSON.stringify(given)).toStrictEqual(withoutEmptyExtras({ kind, ...parsed.data }))
            } else {
              refused++
              expect(read, JSON.stringify(given)).toStrictEqual(zodIssues(parsed.error))
            }
          }),
          { numRuns: 4000 },
        )
        // Both branches ran, not only one.
        expect(accepted).toBeGreaterThan(100)
        expect(refused).toBeGreaterThan(100)
      }, PROPERTY_TIMEOUT_MS)
    }
  }

  it("knows the schemas' fields", () => {
    const schemas = inputSchemas('stream-like', LIMITS['stream-like']!) as unknown as Record<TokenKind, { shape: object }>
    for (const kind of ['user', 'call'] as const) expect(INPUT_FIELDS[kind]).toEqual(Object.keys(schemas[kind].shape))
  })

  it('reads the usual inputs and names every problem', () => {
    const limits = LIMITS['stream-like']!
    expect(readInput('call', { userId: 'alice', callId: 'standup', role: 'moderator', validityInSeconds: 600 }, 'x', limits)).toStrictEqual({
      kind: 'call',
      userId: 'alice',
      callId: 'standup',
      role: 'moderator',
      validityInSeconds: 600,
    })
    expect(readInput('user', { userId: 'alice' }, 'x', limits)).toStrictEqual({ kind: 'user', userId: 'alice' })
    expect(readInput('user', { userId: 'alice', role: 'admin' }, 'x', limits)).toStrictEqual([{ path: 'role', message: 'role is not a known field' }])
    // Where a token may name several calls, the missing call is a rule on the whole input: listed last.
    expect(readInput('call', { validityInSeconds: -1.5 }, 'x', limits)).toStrictEqual([
      { path: 'userId', message: 'userId is required' },
      { path: 'validityInSeconds', message: 'validityInSeconds must be a whole number of seconds' },
      { path: 'validityInSeconds', message: 'validityInSeconds must be positive' },
      { path: 'callId', message: 'callId is required' },
    ])
    expect(readInput('call', { userId: 'a', callIds: ['x', 'y'], extras: {} }, 'x', limits)).toStrictEqual([{ path: 'extras', message: 'extras is not supported by x' }])
    expect(readInput('call', { userId: 'a', callIds: ['x', 'x'] }, 'x', limits)).toStrictEqual([{ path: 'callIds', message: 'callIds must not name a call twice' }])
    expect(readInput('call', { userId: 'a', callIds: ['x', 'y'] }, 'x', limits)).toStrictEqual({ kind: 'call', userId: 'a', callIds: ['x', 'y'] })
    const one = LIMITS['agora-like']!
    expect(readInput('call', { userId: 'a', callId: 'c', callIds: ['x'] }, 'x', one)).toStrictEqual([{ path: 'callIds', message: 'callIds is not supported by x: give one callId' }])
    expect(readInput('user', { userId: 'a', extras: { name: 'Ann', metadata: undefined } }, 'x', one)).toStrictEqual({ kind: 'user', userId: 'a', extras: { name: 'Ann' } })
    expect(readInput('user', { userId: 'a', extras: { nme: 'Ann' } }, 'x', one)).toStrictEqual([{ path: 'extras.nme', message: 'nme is not a known field' }])
  })
})

describe('utf8Length', () => {
  it('is the length TextEncoder gives, for any UTF-16 (lone surrogates too)', () => {
    const encoder = new TextEncoder()
    const units = fc.array(fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.integer({ min: 0, max: 0x7f })), { maxLength: 40 })
    fc.assert(fc.property(units, (codes) => {
      const text = String.fromCharCode(...codes)
      expect(utf8Length(text)).toBe(encoder.encode(text).length)
    }), { numRuns: 5000 })
    expect(utf8Length('a😀é€')).toBe(1 + 4 + 2 + 3)
  }, PROPERTY_TIMEOUT_MS)
})
