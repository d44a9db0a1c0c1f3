import { describe, expect, it } from 'vitest'
import { publicIdOf } from '../src/public-id.ts'

describe('publicIdOf', () => {
  const of = publicIdOf('a-test-secret-that-is-long-enough-000')

  it('is OTO# and 12 Crockford base32 characters, stable per user', () => {
    expect(of(456)).toMatch(/^OTO#[0-9A-HJKMNP-TV-Z]{12}$/)
    expect(of(456)).toBe(of('456'))
    expect(of(456)).toBe(publicIdOf('a-test-secret-that-is-long-enough-000')(456))
  })

  it('differs per user and per secret, and does not contain the internal id', () => {
    const ids = new Set(Array.from({ length: 10_000 }, (_, i) => of(i + 1)))
    expect(ids.size).toBe(10_000)
    expect(publicIdOf('another-secret-that-is-long-enough-11')(456)).not.toBe(of(456))
    expect(of(456)).not.toContain('456')
  })
})
