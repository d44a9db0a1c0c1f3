// The Web Crypto mint bench, one portable ESM file: esbuild bundles it (web-crypto.mjs) with the conditions Workers
// resolve, so @calltoken/core signs with Web Crypto even on Node, and the same bundle runs on Node, Bun and Deno.
// Cases: our Stream call token (service.createCallToken), jose 6's SignJWT with the same claims and key bytes, and
// livekit-server-sdk's AccessToken.toJwt() (itself on jose). Paired windows, round-robin; prints one JSON line.
// No Node API: performance.now() is the clock, and `globalThis` tells the runtime apart.
import { createTokenService } from '@calltoken/core'
import { createHs256Jwt } from '@calltoken/core/provider'
import { stream } from '@calltoken/stream'
import { SignJWT, jwtVerify } from 'jose'
import { AccessToken } from 'livekit-server-sdk'
import { STREAM, VALIDITY, calls, users, MASK } from '../lib/fixtures.mjs'

const settings = JSON.parse(globalThis.BENCH_SETTINGS ?? '{"warmupMs":1500,"windowMs":1000,"windows":7}')
const key = new TextEncoder().encode(STREAM.apiSecret)
const nowSeconds = () => Math.floor(Date.now() / 1000)

const provider = stream({ apiKey: STREAM.apiKey, apiSecret: STREAM.apiSecret })
const service = createTokenService({ provider })
const livekitKey = 'APIbenchKey1'

const cases = [
  { id: 'ours', label: 'ours (Web Crypto): await service.createCallToken(input)', fn: async (i) => (await service.createCallToken({ userId: users[i], callId: calls[i] })).token },
  {
    id: 'jose',
    label: 'jose 6: await new SignJWT(same claims).sign(key bytes)',
    fn: (i) => {
      const now = nowSeconds()
      return new SignJWT({ user_id: users[i], call_cids: [`default:${calls[i]}`], role: 'user' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuedAt(now - 5)
        .setExpirationTime(now + VALIDITY)
        .sign(key)
    },
  },
  {
    id: 'livekit',
    label: 'livekit-server-sdk: await new AccessToken(…).addGrant({ roomJoin, room }).toJwt()',
    fn: (i) => {
      const token = new AccessToken(livekitKey, STREAM.apiSecret, { identity: users[i], ttl: VALIDITY })
      token.addGrant({ roomJoin: true, room: calls[i] })
      return token.toJwt()
    },
  },
]

/** Each case must mint what it is timed for: a JWT the secret verifies, for user i (and call i where it says). */
async function check(c) {
  for (const i of [0, 1, MASK]) {
    const token = await c.fn(i)
    const { payload } = await jwtVerify(token, key)
    const user = payload.user_id ?? payload.sub
    if (user !== users[i]) throw new Error(`${c.id}: token for ${String(user)}, expected ${users[i]}`)
  }
}

function runtime() {
  const g = globalThis
  if (g.Deno?.version?.deno) return { runtime: 'deno', version: g.Deno.version.deno }
  if (g.Bun?.version) return { runtime: 'bun', version: g.Bun.version }
  return { runtime: 'node', version: g.process?.versions?.node ?? 'unknown' }
}

async function window(c, ms, start) {
  let i = start
  const t0 = performance.now()
  const end = t0 + ms
  let t
  let sink = 0
  do {
    for (let k = 0; k < c.batch; k++) sink ^= (await c.fn(i++ & MASK)).length
  } while ((t = performance.now()) < end)
  c.sink = sink
  return { ops: i - start, ms: t - t0 }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

// The signer the bundle got: a promise means Web Crypto (the point of this bench), a string means node:crypto.
const signed = createHs256Jwt('a key only to see how this bundle signs', { typ: 'JWT' }).sign({})
const backend = signed instanceof Promise ? 'web-crypto' : 'node:crypto'

for (const c of cases) await check(c)
for (const c of cases) {
  c.batch = 1
  const w = await window(c, settings.warmupMs, 0)
  c.batch = Math.max(1, Math.min(256, Math.round(w.ops / w.ms / 4)))
  c.cursor = w.ops
  c.rates = []
}
for (let round = 0; round < settings.windows; round++) {
  for (let k = 0; k < cases.length; k++) {
    const c = cases[(k + round) % cases.length]
    const w = await window(c, settings.windowMs, c.cursor)
    c.cursor += w.ops
    c.rates[round] = (w.ops / w.ms) * 1000
  }
}
const [ours, ...others] = cases
const vs = Object.fromEntries(others.map((o) => [o.id, ours.rates.map((r, k) => r / o.rates[k])]))
console.log(
  JSON.stringify({
    ...runtime(),
    backend,
    cases: cases.map((c) => ({ id: c.id, label: c.label, rates: c.rates, median: median(c.rates) })),
    oursVs: Object.fromEntries(Object.entries(vs).map(([id, ratios]) => [id, { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) }])),
  }),
)
