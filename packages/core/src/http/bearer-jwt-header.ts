import { bytesFromBase64url } from '#crypto'

/** The fixed `error_description`s of bearerJwt's refusals: never the token, never a claim's value. */
export const REFUSED = {
  expired: 'The token expired',
  signature: 'The token signature is invalid',
  issuer: 'The token issuer is not accepted',
  audience: 'The token audience is not accepted',
  notYetValid: 'The token is not valid yet',
  noExpiry: 'The token has no expiry',
  algorithm: 'The token algorithm is not accepted',
  malformed: 'The token is malformed',
  noUser: 'The token names no user',
} as const

export type RefusalReason = (typeof REFUSED)[keyof typeof REFUSED]

/** Larger than any real JWT (Node's own limit for all headers together is 16 KiB). */
const MAX_TOKEN_LENGTH = 16 * 1024
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/
const BASE64URL = /^[A-Za-z0-9_-]*$/
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The credentials of `Authorization: Bearer <token>`: undefined when there is no header or another scheme
 * (nothing presented), `{ refused }` when the Bearer value is not a token68, else the token.
 */
export function bearerCredentials(header: string | readonly string[] | undefined): { token: string } | { refused: RefusalReason } | undefined {
  const value = (Array.isArray(header) ? header[0] : header) as unknown
  if (typeof value !== 'string') return undefined
  const match = /^[ \t]*(\S+)(?:[ \t]+([^]*))?$/.exec(value)
  if (!match || match[1]!.toLowerCase() !== 'bearer') return undefined
  const credentials = (match[2] ?? '').replace(/[ \t]+$/, '')
  if (credentials.length > MAX_TOKEN_LENGTH || !TOKEN68.test(credentials)) return { refused: REFUSED.malformed }
  return { token: credentials }
}

/**
 * The checks jose leaves to us, before it sees the token: a compact JWS (three base64url parts, so a JWE's five
 * are refused), a JSON object header with a string `alg` among `algorithms`, no `crit` extensions (so no
 * unencoded `b64: false` payload) and a string `kid` if any.
 */
export function refusedHeader(token: string, algorithms: readonly string[]): RefusalReason | undefined {
  const parts = token.split('.')
  if (parts.length !== 3 || parts[0] === '' || parts[1] === '' || !parts.every((part) => BASE64URL.test(part))) return REFUSED.malformed
  let header: unknown
  try {
    header = JSON.parse(strictUtf8.decode(bytesFromBase64url(parts[0]!)))
  } catch {
    return REFUSED.malformed
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return REFUSED.malformed
  const { alg, kid } = header as Record<string, unknown>
  if ('crit' in header || 'b64' in header || (kid !== undefined && typeof kid !== 'string')) return REFUSED.malformed
  if (typeof alg !== 'string' || alg === '') return REFUSED.malformed
  return algorithms.includes(alg) ? undefined : REFUSED.algorithm
}
