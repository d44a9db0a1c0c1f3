// Hostile requests, drawn from a seeded generator: the same seed gives the same requests. Each is
// { kind, method, path, headers: [name, value][], body: Buffer } and is sent as raw bytes, so header values may hold
// any byte, bodies may lie about their encoding, and nothing is normalised on the way.
import { createHmac } from 'node:crypto'
import { gzipSync } from 'node:zlib'

/** mulberry32: small, fast, good enough to pick cases. */
export function random(seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n) => Math.floor(next() * n)
  const pick = (list) => list[int(list.length)]
  return { next, int, pick }
}

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

/** An HS256 JWT (the session tokens the bindings' bearerJwt checks), signed with `secret`. */
export function hs256(payload, secret) {
  const head = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}`
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`
}

const IDS = ['alice', 'bob', 'a'.repeat(300), '../../etc/passwd', '%00', 'NUL\u0000', '😀'.repeat(40), '\u202eevil', ' ', '', 'user:with:colons', '<script>', 'Ω≈ç√', '\ud800', 'x'.repeat(10_000), '__proto__', 'constructor']
const VALUES = [null, true, false, 0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2, '', 'x', [], {}, [1, 2], { a: 1 }, '60', 'NaN', -0]

function nested(depth, open, close, middle = '1') {
  return open.repeat(depth) + middle + close.repeat(depth)
}

/**
 * The request generator for one target: `routes` are its paths by kind, `auth()` a valid Authorization value (or
 * undefined), `secret` the target's session secret (to forge look-alikes with another).
 */
export function hostileRequests({ seed, count, routes, auth, secret }) {
  const r = random(seed)
  const now = Math.floor(Date.now() / 1000)
  const json = (value) => Buffer.from(JSON.stringify(value))
  const validAuth = () => auth?.()

  const authorizations = () =>
    r.pick([
      undefined,
      validAuth(),
      validAuth(),
      'Bearer',
      'Bearer ',
      'bearer ' + (validAuth()?.slice(7) ?? 'x'),
      'Basic YWxpY2U6c2VjcmV0',
      'Bearer ' + 'A'.repeat(9000),
      'Bearer ' + hs256({ sub: 'alice', exp: now + 600 }, 'not-the-secret-but-long-enough-0123456789'),
      'Bearer ' + `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'alice', exp: now + 600 })}.`,
      'Bearer ' + hs256({ sub: 'alice', exp: now - 10 }, secret),
      'Bearer ' + hs256({ sub: 'alice', nbf: now + 3600, exp: now + 7200 }, secret),
      'Bearer ' + hs256({ sub: ['alice'], exp: now + 600 }, secret),
      'Bearer ' + hs256({ sub: 'x'.repeat(5000), exp: now + 600 }, secret),
      'Bearer ' + hs256({ sub: '__proto__', exp: now + 600 }, secret),
      'Bearer eyJ.eyJ.sig',
      'Bearer a.b.c.d',
      'Bearer \u00ff\u00fe',
    ])

  const bodies = () => {
    const kind = r.int(14)
    switch (kind) {
      case 0:
        return { kind: 'valid', body: json({ callId: 'standup', ...(r.int(2) ? { role: 'member' } : {}) }) }
      case 1:
        return { kind: 'broken-json', body: Buffer.from(r.pick(['{', '{"callId":', '{"callId":"x"', '{"a":1}}', '[1,2', 'nul', '{"callId":"x",}', '\u0000', '{"\\ud800":1}'])) }
      case 2:
        return { kind: 'nested-json', body: Buffer.from(r.pick([nested(5000, '[', ']'), nested(5000, '{"a":', '}'), nested(200_00, '[', ']')])) }
      case 3:
        return { kind: 'huge-json', body: json({ callId: 'x'.repeat(r.pick([15_000, 17_000, 70_000, 1_100_000])) }) }
      case 4:
        return { kind: 'wrong-types', body: json({ userId: r.pick(VALUES), callId: r.pick(VALUES), role: r.pick(VALUES), validityInSeconds: r.pick(VALUES), extras: r.pick(VALUES), callIds: r.pick(VALUES) }) }
      case 5:
        return { kind: 'non-object', body: Buffer.from(r.pick(['null', '[]', '"x"', '1', 'true', '[{}]', '""'])) }
      case 6:
        return {
          kind: 'prototype-keys',
          body: Buffer.from(r.pick(['{"__proto__":{"admin":true},"callId":"x"}', '{"constructor":{"prototype":{"x":1}}}', '{"\\u005f_proto__":{"a":1}}', '{"extras":{"__proto__":{"a":1}}}', '{"callId":"x","extras":{"constructor":1}}'])),
        }
      case 7:
        return { kind: 'invalid-utf8', body: Buffer.concat([Buffer.from('{"callId":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from('"}')]) }
      case 8:
        return { kind: 'hostile-ids', body: json({ userId: r.pick(IDS), callId: r.pick(IDS), callType: r.pick(IDS) }) }
      case 9:
        return { kind: 'refresh-hostile', body: json({ refreshToken: r.pick(['x', '', 'a.b.c', 'A'.repeat(9000), hs256({ v: 1, exp: now + 600 }, secret), `${b64url({ alg: 'none' })}.${b64url({ sub: 'alice' })}.`, gzipSync(Buffer.alloc(5_000_000)).toString('base64url')]) }) }
      case 10:
        return { kind: 'extras', body: json({ callId: 'x', extras: { name: 'x'.repeat(r.pick([10, 5000])), metadata: r.pick(VALUES), roomConfig: { agents: r.pick(VALUES) } } }) }
      case 11:
        return { kind: 'empty', body: Buffer.alloc(0) }
      case 12:
        return { kind: 'many-keys', body: json(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i]))) }
      default:
        return { kind: 'deep-extras', body: Buffer.from(`{"callId":"x","extras":${nested(3000, '{"a":', '}')}}`) }
    }
  }

  const contentHeaders = (bodyKind) => {
    const base = [['content-type', 'application/json']]
    switch (r.int(12)) {
      case 0:
        return [['content-type', r.pick(['text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/jsonx', '*/*', ''])]]
      case 1:
        return []
      case 2:
        return [...base, ['content-encoding', r.pick(['gzip', 'br', 'deflate', 'zstd', 'x-unknown', 'gzip, br', 'identity'])]]
      case 3:
        return [...base, ['content-type', 'text/plain']] // two content types
      case 4:
        return [...base, ['x-huge', 'v'.repeat(r.pick([1000, 20_000]))]]
      case 5:
        return [...base, ...Array.from({ length: 150 }, (_, i) => [`x-h${i}`, 'v'])]
      case 6:
        return [...base, ['x-bytes', Buffer.from([0x80, 0xff, 0xc3]).toString('latin1')]]
      default:
        return bodyKind === 'gzip' ? [...base, ['content-encoding', 'gzip']] : base
    }
  }

  const requests = []
  for (let i = 0; i < count; i++) {
    const route = r.pick(routes)
    const { kind, body: plain } = route.kind === 'webhook' ? webhookBody(r) : bodies()
    let body = plain
    let headers = contentHeaders(kind)
    // A real gzip body with a real header, now and then: decoders must bound what they inflate.
    if (r.int(20) === 0) {
      body = gzipSync(r.int(2) ? plain : Buffer.alloc(r.pick([20_000, 2_000_000, 30_000_000]), 0x20))
      headers = [['content-type', 'application/json'], ['content-encoding', 'gzip']]
    }
    const authorization = authorizations()
    if (authorization !== undefined) headers.push(['authorization', authorization])
    if (route.kind === 'webhook') headers.push(...webhookHeaders(r))
    const method = r.int(15) === 0 ? r.pick(['GET', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH']) : route.method
    const path = r.int(12) === 0 ? hostilePath(r, route.path) : route.path.replace(/:([a-z]+)/g, () => encodeURIComponent(r.pick(['1', 'standup', 'x'.repeat(300), '..', 'a%2Fb', '😀'])))
    requests.push({ kind: route.kind === 'webhook' ? `webhook-${kind}` : kind, method, path, headers, body, authorization })
  }
  return requests
}

function hostilePath(r, path) {
  return r.pick([`${path}/../../x`, `${path}%00`, `${path}?${'a=1&'.repeat(2000)}`, `${path}/%2e%2e/%2e%2e`, `${path}/${'x'.repeat(4000)}`, path.toUpperCase(), `${path}%`, `//${path}`, `${path}?callId=%E0%A4%A`])
}

function webhookBody(r) {
  const kind = r.int(5)
  if (kind === 0) return { kind: 'json', body: Buffer.from(JSON.stringify({ type: 'call.created', call_cid: 'default:x', event: 'room_started', noticeId: 'n1' })) }
  if (kind === 1) return { kind: 'form', body: Buffer.from('RoomSid=RM1&RoomStatus=completed&StatusCallbackEvent=room-ended') }
  if (kind === 2) return { kind: 'gzip', body: gzipSync(Buffer.from('{"type":"call.created"}')) }
  if (kind === 3) return { kind: 'garbage', body: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xff, 0xff]) }
  return { kind: 'huge', body: Buffer.alloc(r.pick([100_000, 1_200_000]), 0x61) }
}

function webhookHeaders(r) {
  const headers = []
  if (r.int(2)) headers.push(['x-signature', r.pick(['00', 'z'.repeat(64), ''])])
  if (r.int(2)) headers.push(['x-twilio-signature', r.pick(['abc=', '', '='.repeat(100)])])
  if (r.int(2)) headers.push(['agora-signature-v2', 'a'.repeat(64)])
  if (r.int(2)) headers.push(['x-zm-signature', r.pick(['v0=abc', 'v1=', ''])], ['x-zm-request-timestamp', r.pick(['0', String(Math.floor(Date.now() / 1000)), 'NaN', '9'.repeat(30)])])
  if (r.int(2)) headers.push(['x-webhook-signature', 'abc='], ['x-webhook-timestamp', r.pick(['1', 'x', ''])])
  return headers
}
