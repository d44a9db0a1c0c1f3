import { isMain } from './lib/is-main.mjs'
// Mint throughput: our call tokens vs the official SDKs vs raw node:crypto, measured in one process and one run.
// Run alone: node src/mint.mjs [--quick]   (or as part of run-all.mjs)
import { createRequire } from 'node:module'
import { agora } from '@calltoken/agora'
import { createCallToken, createTokenService } from '@calltoken/core'
import { daily } from '@calltoken/daily'
import { livekit } from '@calltoken/livekit'
import { stream } from '@calltoken/stream'
import { twilio } from '@calltoken/twilio'
import { zoom } from '@calltoken/zoom'
import { StreamClient } from '@stream-io/node-sdk'
import { AccessToken as LiveKitAccessToken } from 'livekit-server-sdk'
import { AGORA, DAILY, LIVEKIT, STREAM, TWILIO, ZOOM, agoraUids, agoraUserIds, calls, channels, users, VALIDITY } from './lib/fixtures.mjs'
import { goalsTable, judge } from './lib/goals.mjs'
import { measure, pairedCpuRatio, pairedRatio } from './lib/harness.mjs'
import { agoraRawBuilder, hs256Signer } from './lib/raw.mjs'
import { readJson, saveResults, latestPath } from './lib/results.mjs'
import { settings as defaultSettings } from './lib/settings.mjs'
import { int, num, ratio as ratio_, ratioRange, table } from './lib/stats.mjs'

const require = createRequire(import.meta.url)
const nowSeconds = () => Math.floor(Date.now() / 1000)
const STREAM_ROLE = 'user' // what the default policy role "member" becomes in Stream

function assert(condition, message) {
  if (!condition) throw new Error(message)
}

/**
 * The check every case of a section passes before it is timed, so that a case that mints the wrong token (or none)
 * cannot look fast. It guards the measurement only: that our tokens match the SDKs' is proven by the adapters' tests
 * (packages/{stream,agora,twilio}/test). The token must verify with our service for that provider and be for user i's
 * call i, with the usual lifetime and, where the provider has one, the same provider role in every case.
 */
function tokenCheck(service, { userOf, callOf, providerRole }) {
  return async (token, i) => {
    const t = await service.verifyToken(token)
    assert(t.userId === userOf(i) && t.callId === callOf(i), `token for ${t.userId}/${t.callId}, expected ${userOf(i)}/${callOf(i)}`)
    assert(Math.abs(t.expiresAt - (nowSeconds() + VALIDITY)) <= 2, `token expires at ${t.expiresAt}, not now + ${VALIDITY}`)
    if (providerRole) assert(t.providerRole === providerRole, `provider role ${t.providerRole}, expected ${providerRole}`)
  }
}

// ------------------------------------------------------------------------------------------------------------
// Case definitions. Every case: { id, section, label, role: 'ours' | 'sdk' | 'raw', async, fn(i), check(token, i) }
// fn(i) mints the token for user/call i (mod 1024): a string, or (async) a promise of { token }.

export function streamCases() {
  const signRaw = hs256Signer(STREAM.apiSecret, { alg: 'HS256', typ: 'JWT' })
  const client = new StreamClient(STREAM.apiKey, STREAM.apiSecret)
  const provider = stream({ apiKey: STREAM.apiKey, apiSecret: STREAM.apiSecret })
  const service = createTokenService({ provider })
  const check = tokenCheck(service, { userOf: (i) => users[i], callOf: (i) => calls[i], providerRole: STREAM_ROLE })
  const section = 'stream'
  return [
    {
      id: 'stream-raw', section, role: 'raw', async: false, check,
      label: 'raw HS256 JWT: node:crypto createHmac, KeyObject (ceiling)',
      fn: (i) => {
        const now = nowSeconds()
        return signRaw({ user_id: users[i], call_cids: [`default:${calls[i]}`], role: STREAM_ROLE, iat: now - 5, exp: now + VALIDITY })
      },
    },
    {
      id: 'stream-sdk', section, role: 'sdk', async: false, check,
      label: '@stream-io/node-sdk client.generateCallToken()',
      fn: (i) => client.generateCallToken({ user_id: users[i], call_cids: [`default:${calls[i]}`], role: STREAM_ROLE }),
    },
    {
      id: 'stream-ours-fn', section, role: 'ours', async: true, check,
      label: 'ours: await createCallToken(input, { provider })',
      fn: (i) => createCallToken({ userId: users[i], callId: calls[i] }, { provider }),
    },
    {
      id: 'stream-ours-svc', section, role: 'ours', async: true, check,
      label: 'ours: await service.createCallToken(input)',
      fn: (i) => service.createCallToken({ userId: users[i], callId: calls[i] }),
    },
  ]
}

export function agoraCases() {
  const { RtcTokenBuilder, RtcRole } = require('agora-token')
  const buildRaw = agoraRawBuilder(AGORA.appId, AGORA.appCertificate)
  const provider = agora({ appId: AGORA.appId, appCertificate: AGORA.appCertificate })
  const service = createTokenService({ provider })
  const check = tokenCheck(service, { userOf: (i) => agoraUserIds[i], callOf: (i) => channels[i], providerRole: 'publisher' })
  const section = 'agora'
  return [
    {
      id: 'agora-raw', section, role: 'raw', async: false, check,
      label: 'raw AccessToken2: node:crypto HMAC x3 + zlib (ceiling)',
      fn: (i) => buildRaw(channels[i], agoraUids[i], VALIDITY, VALIDITY),
    },
    {
      id: 'agora-sdk', section, role: 'sdk', async: false, check,
      label: 'agora-token RtcTokenBuilder.buildTokenWithUid()',
      fn: (i) => RtcTokenBuilder.buildTokenWithUid(AGORA.appId, AGORA.appCertificate, channels[i], agoraUids[i], RtcRole.PUBLISHER, VALIDITY, VALIDITY),
    },
    {
      id: 'agora-ours-fn', section, role: 'ours', async: true, check,
      label: 'ours: await createCallToken(input, { provider })',
      fn: (i) => createCallToken({ userId: agoraUserIds[i], callId: channels[i] }, { provider }),
    },
    {
      id: 'agora-ours-svc', section, role: 'ours', async: true, check,
      label: 'ours: await service.createCallToken(input)',
      fn: (i) => service.createCallToken({ userId: agoraUserIds[i], callId: channels[i] }),
    },
  ]
}

export function twilioCases() {
  const { AccessToken } = require('twilio').jwt
  const { VideoGrant } = AccessToken
  const signRaw = hs256Signer(TWILIO.apiKeySecret, { alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' })
  const provider = twilio({ accountSid: TWILIO.accountSid, apiKeySid: TWILIO.apiKeySid, apiKeySecret: TWILIO.apiKeySecret })
  const service = createTokenService({ provider })
  const check = tokenCheck(service, { userOf: (i) => users[i], callOf: (i) => calls[i] })
  const section = 'twilio'
  return [
    {
      id: 'twilio-raw', section, role: 'raw', async: false, check,
      label: 'raw HS256 JWT, Twilio claims: node:crypto, KeyObject (ceiling)',
      fn: (i) => {
        const now = nowSeconds()
        return signRaw({
          jti: `${TWILIO.apiKeySid}-${now}`,
          grants: { identity: users[i], video: { room: calls[i] } },
          iat: now,
          exp: now + VALIDITY,
          iss: TWILIO.apiKeySid,
          sub: TWILIO.accountSid,
        })
      },
    },
    {
      id: 'twilio-sdk', section, role: 'sdk', async: false, check,
      label: 'twilio AccessToken + VideoGrant .toJwt()',
      fn: (i) => {
        const token = new AccessToken(TWILIO.accountSid, TWILIO.apiKeySid, TWILIO.apiKeySecret, { identity: users[i], ttl: VALIDITY })
        token.addGrant(new VideoGrant({ room: calls[i] }))
        return token.toJwt()
      },
    },
    {
      id: 'twilio-ours-fn', section, role: 'ours', async: true, check,
      label: 'ours: await createCallToken(input, { provider })',
      fn: (i) => createCallToken({ userId: users[i], callId: calls[i] }, { provider }),
    },
    {
      id: 'twilio-ours-svc', section, role: 'ours', async: true, check,
      label: 'ours: await service.createCallToken(input)',
      fn: (i) => service.createCallToken({ userId: users[i], callId: calls[i] }),
    },
  ]
}

/** The call token's two "ours" cases of a section: the one-shot function and a service. */
function oursCases(section, provider, check) {
  const service = createTokenService({ provider })
  return [
    {
      id: `${section}-ours-fn`, section, role: 'ours', async: true, check,
      label: 'ours: await createCallToken(input, { provider })',
      fn: (i) => createCallToken({ userId: users[i], callId: calls[i] }, { provider }),
    },
    {
      id: `${section}-ours-svc`, section, role: 'ours', async: true, check,
      label: 'ours: await service.createCallToken(input)',
      fn: (i) => service.createCallToken({ userId: users[i], callId: calls[i] }),
    },
  ]
}

// What the default policy role "member" becomes: LiveKit's member grants; a participant for Zoom and Daily.
const LIVEKIT_MEMBER = { roomAdmin: false, canPublish: true, canSubscribe: true, canPublishData: true, canUpdateOwnMetadata: false }

export function liveKitCases() {
  const signRaw = hs256Signer(LIVEKIT.apiSecret, { alg: 'HS256' })
  const provider = livekit({ apiKey: LIVEKIT.apiKey, apiSecret: LIVEKIT.apiSecret })
  const check = tokenCheck(createTokenService({ provider }), { userOf: (i) => users[i], callOf: (i) => calls[i], providerRole: 'member' })
  const section = 'livekit'
  return [
    {
      id: 'livekit-raw', section, role: 'raw', async: false, check,
      label: 'raw HS256 JWT, LiveKit claims: node:crypto, KeyObject (ceiling)',
      fn: (i) => {
        const now = nowSeconds()
        return signRaw({ video: { roomJoin: true, room: calls[i], ...LIVEKIT_MEMBER }, iss: LIVEKIT.apiKey, exp: now + VALIDITY, nbf: now - 5, sub: users[i] })
      },
    },
    {
      id: 'livekit-sdk', section, role: 'sdk', async: true, check,
      label: 'livekit-server-sdk AccessToken + addGrant, await toJwt()',
      fn: async (i) => {
        const token = new LiveKitAccessToken(LIVEKIT.apiKey, LIVEKIT.apiSecret, { identity: users[i], ttl: VALIDITY })
        token.addGrant({ roomJoin: true, room: calls[i], ...LIVEKIT_MEMBER })
        return { token: await token.toJwt() }
      },
    },
    ...oursCases(section, provider, check),
  ]
}

export function zoomCases() {
  const { KJUR } = require('jsrsasign')
  const signRaw = hs256Signer(ZOOM.sdkSecret, { alg: 'HS256', typ: 'JWT' })
  const provider = zoom({ sdkKey: ZOOM.sdkKey, sdkSecret: ZOOM.sdkSecret })
  const check = tokenCheck(createTokenService({ provider }), { userOf: (i) => users[i], callOf: (i) => calls[i], providerRole: 'participant' })
  const section = 'zoom'
  const payload = (i, iat) => ({ app_key: ZOOM.sdkKey, role_type: 0, tpc: calls[i], version: 1, iat, exp: iat + VALIDITY, user_key: users[i] })
  return [
    {
      id: 'zoom-raw', section, role: 'raw', async: false, check,
      label: 'raw HS256 JWT, Zoom claims: node:crypto, KeyObject (ceiling)',
      fn: (i) => signRaw(payload(i, nowSeconds())),
    },
    {
      id: 'zoom-sdk', section, role: 'sdk', async: false, check,
      label: "Zoom's auth-endpoint sample: jsrsasign KJUR.jws.JWS.sign",
      fn: (i) => KJUR.jws.JWS.sign('HS256', JSON.stringify({ alg: 'HS256', typ: 'JWT' }), JSON.stringify(payload(i, nowSeconds())), { utf8: ZOOM.sdkSecret }),
    },
    ...oursCases(section, provider, check),
  ]
}

export function dailyCases() {
  const jsonwebtoken = require('jsonwebtoken')
  const signRaw = hs256Signer(DAILY.apiKey, { alg: 'HS256', typ: 'JWT' })
  const provider = daily({ apiKey: DAILY.apiKey, domainId: DAILY.domainId })
  const check = tokenCheck(createTokenService({ provider }), { userOf: (i) => users[i], callOf: (i) => calls[i], providerRole: 'participant' })
  const section = 'daily'
  const payload = (i, now) => ({ r: calls[i], d: DAILY.domainId, ud: users[i], iat: now - 5, nbf: now - 5, exp: now + VALIDITY })
  return [
    {
      id: 'daily-raw', section, role: 'raw', async: false, check,
      label: 'raw HS256 JWT, Daily claims: node:crypto, KeyObject (ceiling)',
      fn: (i) => signRaw(payload(i, nowSeconds())),
    },
    {
      id: 'daily-sdk', section, role: 'sdk', async: false, check,
      label: "Daily's self-signing guide: jsonwebtoken.sign(payload, apiKey)",
      fn: (i) => jsonwebtoken.sign(payload(i, nowSeconds()), DAILY.apiKey, { algorithm: 'HS256' }),
    },
    ...oursCases(section, provider, check),
  ]
}

// ------------------------------------------------------------------------------------------------------------

const SAMPLE = [0, 1, 2, 3, 511, 1022, 1023]

/** Runs each case's check on a sample of users/calls; returns the reason it is broken, if it is. */
async function verifyCase(c) {
  try {
    for (const i of SAMPLE) {
      const out = c.async ? await c.fn(i) : c.fn(i)
      const token = c.async ? out.token : out
      await c.check(token, i)
      c.tokenChars = token.length
    }
    return undefined
  } catch (error) {
    return error?.message ?? String(error)
  }
}

const SECTIONS = {
  stream: { title: 'Stream call token', sdk: 'stream-sdk', raw: 'stream-raw' },
  agora: { title: 'Agora RTC token (AccessToken2)', sdk: 'agora-sdk', raw: 'agora-raw' },
  twilio: { title: 'Twilio Video access token', sdk: 'twilio-sdk', raw: 'twilio-raw' },
  livekit: { title: 'LiveKit access token', sdk: 'livekit-sdk', raw: 'livekit-raw' },
  zoom: { title: 'Zoom Video SDK JWT', sdk: 'zoom-sdk', raw: 'zoom-raw' },
  daily: { title: 'Daily meeting token', sdk: 'daily-sdk', raw: 'daily-raw' },
}

function goalsFor(byId, broken) {
  const g = (id, text, a, b, op, target) => {
    const ca = byId.get(a)
    const cb = byId.get(b)
    const measured = ca?.stats && cb?.stats ? pairedRatio(ca, cb) : undefined
    const cpu = measured ? pairedCpuRatio(ca, cb) : undefined
    return judge({ id, text, kind: 'ratio', op, target, measured, cpu, unmeasured: measured ? undefined : broken.some((x) => x.id === a || x.id === b) ? 'BROKEN (see above)' : undefined })
  }
  return [
    g('stream-svc-vs-sdk', 'Stream: service.createCallToken vs SDK generateCallToken', 'stream-ours-svc', 'stream-sdk', '>=', 40),
    g('stream-fn-vs-sdk', 'Stream: createCallToken() vs SDK generateCallToken', 'stream-ours-fn', 'stream-sdk', '>=', 40),
    g('stream-svc-vs-raw', 'Stream: service.createCallToken vs raw HMAC', 'stream-ours-svc', 'stream-raw', '>=', 0.7),
    g('stream-fn-vs-raw', 'Stream: createCallToken() vs raw HMAC', 'stream-ours-fn', 'stream-raw', '>=', 0.7),
    g('agora-svc-vs-raw', 'Agora: service.createCallToken vs raw node:crypto + zlib', 'agora-ours-svc', 'agora-raw', '>=', 0.95),
    g('agora-fn-vs-raw', 'Agora: createCallToken() vs raw node:crypto + zlib', 'agora-ours-fn', 'agora-raw', '>=', 0.95),
    g('twilio-svc-vs-sdk', 'Twilio: service.createCallToken vs twilio toJwt', 'twilio-ours-svc', 'twilio-sdk', '>=', 40),
    g('twilio-fn-vs-sdk', 'Twilio: createCallToken() vs twilio toJwt', 'twilio-ours-fn', 'twilio-sdk', '>=', 40),
    g('twilio-svc-vs-raw', 'Twilio: service.createCallToken vs raw HMAC', 'twilio-ours-svc', 'twilio-raw', '>=', 0.7),
    g('twilio-fn-vs-raw', 'Twilio: createCallToken() vs raw HMAC', 'twilio-ours-fn', 'twilio-raw', '>=', 0.7),
    g('livekit-svc-vs-sdk', 'LiveKit: service.createCallToken vs livekit-server-sdk toJwt', 'livekit-ours-svc', 'livekit-sdk', '>=', 3),
    g('livekit-fn-vs-sdk', 'LiveKit: createCallToken() vs livekit-server-sdk toJwt', 'livekit-ours-fn', 'livekit-sdk', '>=', 3),
    g('zoom-svc-vs-raw', 'Zoom: service.createCallToken vs raw HMAC', 'zoom-ours-svc', 'zoom-raw', '>=', 0.5),
    g('zoom-fn-vs-raw', 'Zoom: createCallToken() vs raw HMAC', 'zoom-ours-fn', 'zoom-raw', '>=', 0.5),
    g('daily-svc-vs-raw', 'Daily: service.createCallToken vs raw HMAC', 'daily-ours-svc', 'daily-raw', '>=', 0.5),
    g('daily-fn-vs-raw', 'Daily: createCallToken() vs raw HMAC', 'daily-ours-fn', 'daily-raw', '>=', 0.5),
  ]
}

/** Informational ratios with no goal: against agora-token, and each SDK against the raw ceilings. */
function infoRatios(byId) {
  const pairs = [
    ['agora-ours-svc', 'agora-sdk', 'Agora: service.createCallToken vs agora-token'],
    ['agora-raw', 'agora-sdk', 'Agora: raw AccessToken2 (node:crypto + zlib) vs agora-token (the ceiling over the SDK)'],
    ['agora-ours-svc', 'stream-raw', 'Agora: service.createCallToken vs raw HS256 JWT (Stream claims)'],
    ['agora-sdk', 'stream-raw', 'agora-token vs raw HS256 JWT (Stream claims)'],
    ['twilio-sdk', 'twilio-raw', 'twilio toJwt vs raw HS256 JWT (Twilio claims)'],
  ]
  return pairs
    .filter(([a, b]) => byId.get(a)?.stats && byId.get(b)?.stats)
    .map(([a, b, text]) => ({ text, a, b, ratio: pairedRatio(byId.get(a), byId.get(b)), cpu: pairedCpuRatio(byId.get(a), byId.get(b)) }))
}

export async function runMint({ settings = defaultSettings, log = console.log } = {}) {
  const s = settings.mint
  const warnings = []
  const broken = []
  log(`\n== Mint throughput (${s.windows} x ${s.windowMs} ms windows per case, round-robin, ${s.warmupMs} ms warm-up; ${settings.quick ? 'QUICK' : 'full'} run)`)

  const all = [...streamCases(), ...agoraCases(), ...twilioCases(), ...liveKitCases(), ...zoomCases(), ...dailyCases()]
  const runnable = []
  for (const c of all) {
    const reason = await verifyCase(c)
    if (reason) broken.push({ id: c.id, reason })
    else runnable.push(c)
  }
  log(`  checked ${runnable.length}/${all.length} cases on ${SAMPLE.length} users/calls each (token verifies, right user, call and lifetime)`)
  for (const b of broken) log(`  BROKEN ${b.id}: ${b.reason}`)

  await measure(runnable, s, settings.verbose ? (line) => log(line) : () => {})
  const byId = new Map(runnable.map((c) => [c.id, c]))

  const cases = []
  for (const [section, meta] of Object.entries(SECTIONS)) {
    const rows = []
    const sdk = byId.get(meta.sdk)
    const raw = byId.get(meta.raw)
    log(`\n-- ${meta.title}`)
    for (const c of runnable.filter((x) => x.section === section)) {
      const vsSdk = sdk && c !== sdk ? pairedRatio(c, sdk) : undefined
      const vsRaw = raw && c !== raw ? pairedRatio(c, raw) : undefined
      const { rate, wallUsPerToken, cpuUsPerToken } = c.stats
      rows.push([c.label, int(rate.median), `${int(rate.min)}–${int(rate.max)}`, num(wallUsPerToken), num(cpuUsPerToken),
        c === sdk ? '1' : ratioRange(vsSdk), c === raw ? '1' : ratioRange(vsRaw), String(c.tokenChars)])
      cases.push({
        id: c.id, section, role: c.role, label: c.label, tokenChars: c.tokenChars, batch: c.batch,
        rate, wallUsPerToken, cpuUsPerToken, windows: c.windows.map((w) => Math.round(w.rate)),
        vsSdk, vsRaw,
      })
    }
    for (const b of broken.filter((x) => x.id.startsWith(section))) rows.push([`${b.id}: BROKEN`, '', '', '', '', '', '', ''])
    log(table(
      [
        { title: 'case', align: 'left' }, { title: 'tok/s median', align: 'right' }, { title: 'min–max', align: 'right' },
        { title: 'wall µs/tok', align: 'right' }, { title: 'CPU µs/tok', align: 'right' },
        { title: 'vs SDK: median (min–max)', align: 'right' }, { title: 'vs raw', align: 'right' }, { title: 'chars', align: 'right' },
      ],
      rows,
    ))
  }
  log('  ("vs" columns: ratio of tok/s, taken window by window within the same round, then the median and range.)')

  // A case that got well under one CPU while it ran was sharing the machine: its figures are noisy.
  const starved = runnable.filter((c) => c.stats.cpuUsPerToken / c.stats.wallUsPerToken < 0.8)
  if (starved.length > 0) {
    warnings.push(`${starved.length}/${runnable.length} cases got < 80 % of a CPU during their windows (CPU µs/tok well below wall): ` +
      'another process was busy, so treat this run\'s figures as noisy and rerun before quoting them')
  }

  const goals = goalsFor(byId, broken)
  const info = infoRatios(byId)
  for (const w of warnings) log(`  WARNING ${w}`)
  return {
    section: {
      at: new Date().toISOString(),
      settings: s,
      quick: settings.quick,
      cases,
      info: info.map(({ text, ratio, cpu }) => ({ text, ratio, cpu })),
      broken,
      warnings,
    },
    goals,
    info,
    broken,
  }
}


if (isMain(import.meta.url)) {
  const result = await runMint({ settings: { ...defaultSettings, verbose: process.argv.includes('--verbose') } })
  const previous = readJson(latestPath)?.goals ?? []
  console.log('\n== Mint goals (never fail the run)')
  console.log(goalsTable(result.goals, previous))
  for (const { text, ratio, cpu } of result.info) console.log(`  ${text}: ${ratioRange(ratio)}; by CPU time ${ratio_(cpu.median)}`)
  saveResults({ mint: result.section, goals: [...(readJson(latestPath)?.goals ?? []).filter((g) => !result.goals.some((x) => x.id === g.id)), ...result.goals] }, { fresh: false })
  console.log(`\nwrote ${latestPath}`)
  if (result.broken.length > 0) {
    console.error(`\n${result.broken.length} broken case(s): exit 1`)
    process.exitCode = 1
  }
}
