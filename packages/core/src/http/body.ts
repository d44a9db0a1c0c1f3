import { bodyTooLarge, malformedBody, unsupportedEncoding, unsupportedMediaType } from '../errors'
import { utf8Length } from '../utf8-length'

/**
 * The largest request body the token routes read: 16 KiB, far above any token request.
 *
 * @example
 * express.raw({ type: () => true, limit: BODY_LIMIT_BYTES }) // a binding reads at most this much
 */
export const BODY_LIMIT_BYTES = 16 * 1024

function header(headers: Readonly<Record<string, string | readonly string[] | undefined>>, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : (value as string | undefined)
}

// Keys that could reach an object's prototype if a later step merged the body into an object.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])
const SUSPECT_KEY = /"(?:__proto__|constructor|prototype)"/
const BLANK = /^\s*$/

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function utf8Text(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes)
  } catch {
    throw malformedBody('Malformed JSON body: not UTF-8')
  }
}

/** Checks type and size, then parses JSON, refusing keys that could pollute a prototype. */
export function parseJsonBody(rawBody: Uint8Array | string, headers: Readonly<Record<string, string | readonly string[] | undefined>>): unknown {
  // Every binding alike: no framework inflates a token request, and a compressed one is refused, not misread.
  const encoding = header(headers, 'content-encoding')?.trim().toLowerCase()
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') throw unsupportedEncoding()
  const size = typeof rawBody === 'string' ? utf8Length(rawBody) : rawBody.byteLength
  if (size > BODY_LIMIT_BYTES) throw bodyTooLarge(BODY_LIMIT_BYTES)
  const contentType = header(headers, 'content-type')?.split(';')[0]?.trim().toLowerCase()
  if (size === 0 && contentType === undefined) return {}
  if (contentType !== 'application/json') throw unsupportedMediaType()
  const text = typeof rawBody === 'string' ? rawBody : utf8Text(rawBody)
  // The reviver is slow: only a body that could name a forbidden key (plainly or \u-escaped) goes through it.
  if (!SUSPECT_KEY.test(text) && !text.includes('\\u')) {
    try {
      return JSON.parse(text)
    } catch {
      if (BLANK.test(text)) return {} // an empty body, as curl sends with -d ''
      throw malformedBody('Malformed JSON body')
    }
  }
  let forbidden: string | undefined
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) throw new SyntaxError((forbidden = key))
      return value
    })
  } catch {
    // JSON.parse's own message quotes the body; ours does not.
    throw malformedBody(forbidden ? `Malformed JSON body: "${forbidden}" keys are not allowed` : 'Malformed JSON body')
  }
}
