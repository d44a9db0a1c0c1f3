import type { CallTokenProvider } from '@calltoken/core'
import { fixedClock } from '@calltoken/test-kit'
import request from 'supertest'
import { expect } from 'vitest'

/**
 * The requests every binding's parity test sends through Express and itself ([path, body, headers]; '' sends no
 * body). Fastify's and the fetch binding's parity tests import this file, as they import contract-providers.ts.
 */
export const PARITY_CASES: readonly (readonly [string, string, Readonly<Record<string, string>>])[] = [
  ['/api/tokens/call', JSON.stringify({ userId: 'alice', callId: 'team-meeting-123', role: 'moderator', validityInSeconds: 7200 }), { 'content-type': 'application/json' }],
  ['/api/tokens/user', JSON.stringify({ userId: 'alice', callId: 'c1' }), { 'content-type': 'application/json; charset=utf-8' }],
  ['/api/tokens/user', '', {}],
  ['/api/tokens/call', JSON.stringify({ userId: 'alice' }), { 'content-type': 'application/json' }],
  ['/api/tokens/call', JSON.stringify({ userId: 'alice', callId: 'c1', validityInSeconds: '60' }), { 'content-type': 'application/json' }],
  ['/api/tokens/call', '{"userId":', { 'content-type': 'application/json' }],
  ['/api/tokens/call', 'userId=alice', { 'content-type': 'application/x-www-form-urlencoded' }],
  ['/api/tokens/call', '{"__proto__":{"admin":true}}', { 'content-type': 'application/json' }],
  ['/api/tokens/call', JSON.stringify({ pad: 'x'.repeat(20_000) }), { 'content-type': 'application/json' }],
  ['/api/tokens/refresh', JSON.stringify({ token: 'nope' }), { 'content-type': 'application/json' }],
  ['/api/tokens/refresh', JSON.stringify({ refreshToken: 'nope' }), { 'content-type': 'application/json' }],
  ['/api/tokens/call', 'null', { 'content-type': 'application/json' }],
  ['/api/tokens/call', JSON.stringify({ userId: 'alice', callId: 'c1', role: 'owner' }), { 'content-type': 'application/json' }],
]

/** The routes' options in every parity test: anonymous, a fixed clock, and a limit the call route's cases overrun (so a 429 and its headers are compared too). */
export const parityOptions = <P extends CallTokenProvider>(provider: P) =>
  ({ provider, now: fixedClock(), allowAnonymous: true, rateLimit: { max: 6, windowMs: 60_000 } }) as const

/** One binding's answer, as the comparison reads it. */
export interface ParityAnswer {
  readonly status: number
  readonly body: string
  /** A header by its lower-case name, undefined when absent. */
  header(name: string): string | undefined
}

/** Express's answer to one case, through supertest. */
export async function expressAnswer(app: Parameters<typeof request>[0], [path, payload, headers]: (typeof PARITY_CASES)[number]): Promise<ParityAnswer> {
  const pending = request(app).post(path).set(headers)
  const response = await (payload === '' ? pending : pending.send(payload))
  return { status: response.status, body: response.text, header: (name) => response.headers[name] as string | undefined }
}

/**
 * Another binding answered exactly as Express did: status, body bytes (Agora salts every token, so tokens are
 * compared by what they grant), cache-control, the rate-limit headers and the content type.
 */
export function expectSameAnswer(provider: CallTokenProvider, label: string, viaExpress: ParityAnswer, other: ParityAnswer): void {
  expect(other.status, label).toBe(viaExpress.status)
  const tokenOf = (text: string) => /"token":"([^"]+)"/.exec(text)?.[1]
  const withoutToken = (text: string) => text.replace(/"token":"[^"]+"/, '"token":"…"')
  expect(withoutToken(other.body), label).toBe(withoutToken(viaExpress.body))
  const [a, b] = [tokenOf(other.body), tokenOf(viaExpress.body)]
  if (a !== undefined && b !== undefined) {
    const granted = (token: string) => ({ ...provider.decode(token), claims: undefined })
    expect(granted(a), label).toEqual(granted(b))
    if (provider.id !== 'agora') expect(a, label).toBe(b)
  }
  expect(other.header('cache-control'), label).toBe('no-store')
  expect(viaExpress.header('cache-control'), label).toBe('no-store')
  for (const name of ['ratelimit', 'ratelimit-policy', 'retry-after']) expect(other.header(name), `${label} ${name}`).toBe(viaExpress.header(name))
  // A body over the limit is refused while it is read, before the pipeline (and its count) runs.
  expect(viaExpress.header('ratelimit-policy'), label).toBe(viaExpress.status === 413 ? undefined : '6;w=60')
  expect(other.header('content-type'), label).toBe(viaExpress.header('content-type'))
}
