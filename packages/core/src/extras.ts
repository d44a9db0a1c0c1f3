import type { CallTokenIssue } from './errors'
import { utf8Length } from './utf8-length'
import type { TokenExtras } from './types'

/** One extras field's check: a message (naming `path`) when the value is not accepted, else undefined. */
export type ExtraCheck = (value: unknown, path: string) => string | undefined

/** A plain object (object literal, JSON, or Object.create(null)): not an array, a Map or a class instance. */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/**
 * Ready checks for adapters' extras: each refuses other types and says what it wanted.
 *
 * @example
 * const checks = { name: extraChecks.string({ maxBytes: 256 }), hidden: extraChecks.boolean() }
 */
export const extraChecks = {
  /** A string, not empty, at most `maxBytes` bytes of UTF-8 when given. */
  string: ({ maxBytes }: { maxBytes?: number } = {}): ExtraCheck => (value, path) => {
    if (typeof value !== 'string') return `${path} must be a string`
    if (value === '') return `${path} must not be empty`
    if (maxBytes !== undefined && utf8Length(value) > maxBytes) return `${path} must be at most ${maxBytes} bytes`
    return undefined
  },
  boolean: (): ExtraCheck => (value, path) => (typeof value === 'boolean' ? undefined : `${path} must be true or false`),
  /** One of `values`. */
  oneOf: (values: readonly unknown[]): ExtraCheck => (value, path) => (values.includes(value) ? undefined : `${path} must be one of ${values.join(', ')}`),
  /** A list of distinct values, each one of `values`, at least one. */
  listOf: (values: readonly string[]): ExtraCheck => (value, path) => {
    if (!Array.isArray(value) || value.length === 0) return `${path} must be a non-empty list of ${values.join(', ')}`
    const wrong = value.findIndex((item) => !values.includes(item as string))
    if (wrong >= 0) return `${path}.${wrong} must be one of ${values.join(', ')}`
    return new Set(value).size === value.length ? undefined : `${path} must not repeat a value`
  },
  /** A plain object of string values (attributes, tags). */
  stringRecord: (): ExtraCheck => (value, path) => {
    if (!isRecord(value)) return `${path} must be an object of strings`
    const wrong = Object.keys(value).find((key) => typeof value[key] !== 'string')
    return wrong === undefined ? undefined : `${path}.${wrong} must be a string`
  },
  /** A plain object whose fields pass `fields` (unknown fields refused). */
  object: (fields: Readonly<Record<string, ExtraCheck>>): ExtraCheck => (value, path) => {
    if (!isRecord(value)) return `${path} must be an object`
    for (const key of Object.keys(value)) {
      const check = fields[key]
      if (!check) return `${path}.${key} is not a known field; known: ${Object.keys(fields).join(', ')}`
      if (value[key] === undefined) continue
      const problem = check(value[key], `${path}.${key}`)
      if (problem !== undefined) return problem
    }
    return undefined
  },
  /** A list of at least one value, each passing `item`. */
  list: (item: ExtraCheck): ExtraCheck => (value, path) => {
    if (!Array.isArray(value) || value.length === 0) return `${path} must be a non-empty list`
    for (let i = 0; i < value.length; i++) {
      const problem = item(value[i], `${path}.${i}`)
      if (problem !== undefined) return problem
    }
    return undefined
  },
} as const

/**
 * The problems of `extras` under `checks` (one per field at most), for an adapter's `validateInput`. Core has
 * already refused names not in `limits.extras` and dropped fields given as undefined.
 *
 * @example
 * validateInput: (request) => extrasIssues(request.extras, { name: extraChecks.string() }),
 */
export function extrasIssues(extras: TokenExtras | undefined, checks: Readonly<Record<string, ExtraCheck>>): CallTokenIssue[] {
  if (extras === undefined) return []
  const issues: CallTokenIssue[] = []
  for (const [name, check] of Object.entries(checks)) {
    if (extras[name] === undefined) continue
    const message = check(extras[name], `extras.${name}`)
    if (message !== undefined) issues.push({ path: `extras.${name}`, message })
  }
  return issues
}
