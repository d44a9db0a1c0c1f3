import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto'
import { invalidJwt } from './errors'

export interface JwtParts {
  readonly header: Readonly<Record<string, unknown>>
  readonly payload: Readonly<Record<string, unknown>>
}

export interface Hs256Jwt {
  /** Signs `payload` under the fixed header; claim order is the payload's own. */
  sign(payload: Readonly<Record<string, unknown>>): string
  /** Parses and checks the signature; throws ERR_CALLTOKEN_INVALID_TOKEN when either fails. */
  verify(token: string): JwtParts
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/**
 * HS256 JWTs on node:crypto with the key imported once: ~25x faster than jose 6 on Node 20 and
 * ~50x faster than jsonwebtoken with a string secret (see bench/).
 *
 * @example
 * const jwt = createHs256Jwt(apiSecret, { typ: 'JWT' })
 * const token = jwt.sign({ sub: claims.userId, iat: claims.issuedAt, exp: claims.expiresAt })
 * jwt.verify(token).payload.sub // claims.userId; a wrong signature throws ERR_CALLTOKEN_INVALID_TOKEN
 */
export function createHs256Jwt(secret: string, header: Readonly<Record<string, string>>): Hs256Jwt {
  const key: KeyObject = createSecretKey(Buffer.from(secret, 'utf8'))
  const encodedHeader = base64url({ alg: 'HS256', ...header })
  const mac = (data: string) => createHmac('sha256', key).update(data).digest()

  return {
    sign(payload) {
      const data = `${encodedHeader}.${base64url(payload)}`
      return `${data}.${mac(data).toString('base64url')}`
    },
    verify(token) {
      const parts = decodeJwt(token)
      const dot = token.lastIndexOf('.')
      if (parts.header.alg !== 'HS256') throw invalidJwt(`alg must be HS256, not ${String(parts.header.alg)}`)
      // Compared as text: decoding would ignore base64url's spare bits and accept a second spelling of the signature.
      const expected = Buffer.from(mac(token.slice(0, dot)).toString('base64url'))
      const actual = Buffer.from(token.slice(dot + 1))
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw invalidJwt('signature does not match')
      return parts
    },
  }
}

/**
 * Header and payload of a compact JWT, unchecked.
 *
 * @throws ERR_CALLTOKEN_INVALID_TOKEN when `token` is not a compact JWT with JSON object parts.
 * @example
 * const { header, payload } = decodeJwt(token) // no signature check: use Hs256Jwt.verify for that
 */
export function decodeJwt(token: string): JwtParts {
  if (typeof token !== 'string') throw invalidJwt('a token must be a string')
  const segments = token.split('.')
  if (segments.length !== 3 || segments.some((s) => !/^[A-Za-z0-9_-]+$/.test(s))) throw invalidJwt('not a compact JWT')
  return { header: parseSegment(segments[0]!, 'header'), payload: parseSegment(segments[1]!, 'payload') }
}

function parseSegment(segment: string, name: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
  } catch {
    throw invalidJwt(`the ${name} is not JSON`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidJwt(`the ${name} is not a JSON object`)
  return value as Record<string, unknown>
}
