import { isMain } from './lib/is-main.mjs'
// Mint throughput: our call tokens vs the official SDKs vs raw node:crypto, measured in one process and one run.
// Run alone: node src/mint.mjs [--quick]   (or as part of run-all.mjs)
import { createRequire } from 'node:module'
import { createCallToken, createTokenService } from '@calltoken/core'
import { stream } from '@calltoken/stream'
import { StreamClient } from '@stream-io/node-sdk'
import { AGORA, STREAM, TWILIO, agoraUids, agoraUserIds, calls, channels, users, VALIDITY } from './lib/fixtures.mjs'
import { goalsTable, judge } from './lib/goals.mjs'
import { measure, pairedCpuRatio, pairedRatio } from './lib/harness.mjs'
import { agoraRawBuilder, agoraSignatureOk, decodeAgora, hs256Signer, verifyHs256 } from './lib/raw.mjs'
import { readJson, saveResults, latestPath } from './lib/results.mjs'
import { settings as defaultSettings } from './lib/settings.mjs'
import { int, num, ratio as ratio_, ratioRange, table } from './lib/stats.mjs'

const require = createRequire(import.meta.url)
const nowSeconds = () => Math.floor(Date.now() / 1000)
const STREAM_ROLE = 'user' // what the default policy role "member" becomes in Stream

/** Loads an unfinished adapter if it is there: { factory } or { skip: reason }. */
async function loadAdapter(pkg, factoryName) {
  let mod
  try {
    mod = await import(pkg)
  } catch (error) {
    return { skip: `${pkg} cannot be imported (${error.code ?? error.message}); build it first` }
  }
  if (typeof mod[factoryName] !== 'function') return { skip: `${pkg} has no ${factoryName}() export yet (unfinished)` }
  return { factory: mod[factoryName] }
}

function assert(condition, message) {
  if (!condition) throw new Error(message)
}

const sameJson = (a, b) => JSON.stringify(a) === JSON.stringify(b)
const keysOf = (o) => Object.keys(o ?? {}).join(',')

// ------------------------------------------------------------------------------------------------------------
// Case definitions. Every case: { id, section, label, role: 'ours' | 'sdk' | 'raw', async, fn(i), check(out, i) }
// fn(i) mints the token for user/call i (mod 1024); check throws when the output is wrong.

export function streamCases(warn = () => {}) {
  const signRaw = hs256Signer(STREAM.apiSecret, { alg: 'HS256', typ: 'JWT' })
  const client = new StreamClient(STREAM.apiKey, STREAM.apiSecret)
  const provider = stream({ apiKey: STREAM.apiKey, apiSecret: STREAM.apiSecret })
  const service = createTokenService({ provider })

  const checkClaims = (token, i, { iatBack, label }) => {
    const { header, payload } = verifyHs256(token, STREAM.apiSecret)
    assert(sameJson(header, { alg: 'HS256', typ: 'JWT' }), `${label}: header ${JSON.stringify(header)}`)
    assert(keysOf(payload) === 'user_id,call_cids,role,iat,exp', `${label}: claims ${keysOf(payload)}`)
    assert(payload.user_id === users[i], `${label}: user_id ${payload.user_id} for ${users[i]}`)
    assert(sameJson(payload.call_cids, [`default:${calls[i]}`]), `${label}: call_cids ${JSON.stringify(payload.call_cids)}`)
    assert(payload.role === STREAM_ROLE, `${label}: role ${payload.role}`)
    const now = nowSeconds()
    assert(Math.abs(payload.iat - (now - iatBack)) <= 2, `${label}: iat ${payload.iat} vs now ${now}`)
    assert(Math.abs(payload.exp - (now + VALIDITY)) <= 2, `${label}: exp ${payload.exp} is not now + ${VALIDITY}`)
    return payload
  }
  const checkOurs = (issued, i) => {
    checkClaims(issued.token, i, { iatBack: 5, label: 'ours' })
    // The SDK's token for the same user/call has the same claims, in the same order (iat/exp aside).
    const sdk = verifyHs256(client.generateCallToken({ user_id: users[i], call_cids: [`default:${calls[i]}`], role: STREAM_ROLE }), STREAM.apiSecret)
    const ours = verifyHs256(issued.token, STREAM.apiSecret)
    const strip = ({ iat, exp, ...rest }) => rest
    assert(keysOf(ours.payload) === keysOf(sdk.payload), `ours vs SDK claim order: ${keysOf(ours.payload)} vs ${keysOf(sdk.payload)}`)
    assert(sameJson(strip(ours.payload), strip(sdk.payload)), 'ours vs SDK: claims differ')
    const decoded = service.verifyToken(issued.token)
    assert(decoded.userId === users[i] && decoded.callId === calls[i], 'our own verifyToken disagrees')
    assert(issued.expiresAt.getTime() / 1000 === ours.payload.exp, 'IssuedToken.expiresAt is not the exp claim')
  }

  const section = 'stream'
  const cases = [
    {
      id: 'stream-raw', section, role: 'raw', async: false,
      label: 'raw HS256 JWT: node:crypto createHmac, KeyObject (ceiling)',
      fn: (i) => {
        const now = nowSeconds()
        return signRaw({ user_id: users[i], call_cids: [`default:${calls[i]}`], role: STREAM_ROLE, iat: now - 5, exp: now + VALIDITY })
      },
      check: (token, i) => checkClaims(token, i, { iatBack: 5, label: 'raw' }),
    },
    {
      id: 'stream-sdk', section, role: 'sdk', async: false,
      label: '@stream-io/node-sdk client.generateCallToken()',
      fn: (i) => client.generateCallToken({ user_id: users[i], call_cids: [`default:${calls[i]}`], role: STREAM_ROLE }),
      check: (token, i) => checkClaims(token, i, { iatBack: 1, label: 'SDK' }),
    },
    {
      id: 'stream-ours-fn', section, role: 'ours', async: true,
      label: 'ours: await createCallToken(input, { provider })',
      fn: (i) => createCallToken({ userId: users[i], callId: calls[i] }, { provider }),
      check: checkOurs,
    },
    {
      id: 'stream-ours-svc', section, role: 'ours', async: true,
      label: 'ours: await service.createCallToken(input)',
      fn: (i) => service.createCallToken({ userId: users[i], callId: calls[i] }),
      check: checkOurs,
    },
  ]

  // One-off: with the same clock, our token and the SDK's are the same bytes.
  const byteCheck = async () => {
    const fixed = 1_800_000_000
    const ours = await createCallToken({ userId: users[7], callId: calls[7] }, { provider, now: () => fixed * 1000 })
    const sdk = client.generateCallToken({ user_id: users[7], call_cids: [`default:${calls[7]}`], role: STREAM_ROLE, iat: fixed - 5, exp: fixed + VALIDITY })
    if (ours.token === sdk) return 'our Stream token and the SDK\'s are byte-identical for the same claims and clock'
    warn('our Stream token differs in bytes from the SDK\'s for the same claims and clock (claims still checked equal)')
    return 'our Stream token differs in bytes from the SDK\'s (claims equal)'
  }
  return { cases, byteCheck }
}

async function agoraCases(warn, skipped) {
  const agoraToken = require('agora-token')
  const { AccessToken2 } = require('agora-token/src/AccessToken2.js')
  const { RtcTokenBuilder, RtcRole } = agoraToken
  const buildRaw = agoraRawBuilder(AGORA.appId, AGORA.appCertificate)
  const section = 'agora'

  const checkToken = (token, i, label) => {
    assert(typeof token === 'string' && token.startsWith('007'), `${label}: not an AccessToken2 ("007…") token`)
    const t = decodeAgora(token)
    assert(agoraSignatureOk(t, AGORA.appCertificate), `${label}: signature does not verify`)
    // The reference implementation must accept it too.
    const parsed = new AccessToken2()
    assert(parsed.from_string(token) && parsed.verifySignature(AGORA.appCertificate), `${label}: agora-token rejects it`)
    assert(t.appId === AGORA.appId, `${label}: appId ${t.appId}`)
    const rtc = t.services.find((s) => s.type === 1)
    assert(rtc, `${label}: no RTC service`)
    assert(rtc.channel === channels[i], `${label}: channel ${rtc.channel} for ${channels[i]}`)
    assert(rtc.uid === agoraUserIds[i], `${label}: uid ${rtc.uid} for ${agoraUserIds[i]}`)
    assert(Math.abs(t.issueTs - nowSeconds()) <= 10, `${label}: issueTs ${t.issueTs}`)
    return t
  }
  const reference = (i) => RtcTokenBuilder.buildTokenWithUid(AGORA.appId, AGORA.appCertificate, channels[i], agoraUids[i], RtcRole.PUBLISHER, VALIDITY, VALIDITY)

  const cases = [
    {
      id: 'agora-raw', section, role: 'raw', async: false,
      label: 'raw AccessToken2: node:crypto HMAC x3 + zlib (ceiling)',
      fn: (i) => buildRaw(channels[i], agoraUids[i], VALIDITY, VALIDITY),
      check: (token, i) => {
        const t = checkToken(token, i, 'raw')
        const ref = decodeAgora(reference(i))
        assert(sameJson(t.services, ref.services) && t.expire === ref.expire, 'raw: differs from agora-token\'s token')
      },
    },
    {
      id: 'agora-sdk', section, role: 'sdk', async: false,
      label: 'agora-token RtcTokenBuilder.buildTokenWithUid()',
      fn: reference,
      check: (token, i) => checkToken(token, i, 'agora-token'),
    },
  ]

  const adapter = await loadAdapter('@calltoken/agora', 'agora')
  if (adapter.skip) {
    skipped.push({ section, reason: adapter.skip })
    return { cases }
  }
  let provider, service
  try {
    provider = adapter.factory({ appId: AGORA.appId, appCertificate: AGORA.appCertificate })
    service = createTokenService({ provider })
  } catch (error) {
    return { cases, broken: [{ id: 'agora-ours', reason: `agora({ appId, appCertificate }) threw: ${error.message}` }] }
  }
  const checkOurs = (issued, i) => {
    const t = checkToken(issued.token, i, 'ours')
    const ref = decodeAgora(reference(i))
    const rtc = t.services.find((s) => s.type === 1)
    const refRtc = ref.services[0]
    if (keysOf(rtc.privileges) !== keysOf(refRtc.privileges)) {
      warn(`agora: our RTC privileges {${keysOf(rtc.privileges)}} differ from agora-token PUBLISHER's {${keysOf(refRtc.privileges)}}`)
    }
    if (t.services.length !== 1) warn(`agora: our token carries ${t.services.length} services (agora-token's: 1), so it does more work`)
    const decoded = service.verifyToken(issued.token)
    assert(decoded.userId === agoraUserIds[i] && decoded.callId === channels[i], 'our own verifyToken disagrees')
  }
  cases.push(
    {
      id: 'agora-ours-fn', section, role: 'ours', async: true,
      label: 'ours: await createCallToken(input, { provider })',
      fn: (i) => createCallToken({ userId: agoraUserIds[i], callId: channels[i] }, { provider }),
      check: checkOurs,
    },
    {
      id: 'agora-ours-svc', section, role: 'ours', async: true,
      label: 'ours: await service.createCallToken(input)',
      fn: (i) => service.createCallToken({ userId: agoraUserIds[i], callId: channels[i] }),
      check: checkOurs,
    },
  )
  return { cases }
}

async function twilioCases(warn, skipped) {
  const { AccessToken } = require('twilio').jwt
  const { VideoGrant } = AccessToken
  const header = { alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' }
  const signRaw = hs256Signer(TWILIO.apiKeySecret, header)
  const section = 'twilio'

  const checkToken = (token, i, label) => {
    const { header: h, payload: p } = verifyHs256(token, TWILIO.apiKeySecret)
    assert(h.cty === 'twilio-fpa;v=1' && h.typ === 'JWT', `${label}: header ${JSON.stringify(h)}`)
    assert(p.iss === TWILIO.apiKeySid, `${label}: iss ${p.iss}`)
    assert(p.sub === TWILIO.accountSid, `${label}: sub ${p.sub}`)
    assert(typeof p.jti === 'string' && p.jti.startsWith(`${TWILIO.apiKeySid}-`), `${label}: jti ${p.jti}`)
    assert(p.grants?.identity === users[i], `${label}: grants.identity ${p.grants?.identity}`)
    assert(p.grants?.video?.room === calls[i], `${label}: grants.video.room ${p.grants?.video?.room}`)
    assert(Math.abs(p.exp - (nowSeconds() + VALIDITY)) <= 2, `${label}: exp ${p.exp} is not now + ${VALIDITY}`)
    return { header: h, payload: p }
  }
  const reference = (i) => {
    const token = new AccessToken(TWILIO.accountSid, TWILIO.apiKeySid, TWILIO.apiKeySecret, { identity: users[i], ttl: VALIDITY })
    token.addGrant(new VideoGrant({ room: calls[i] }))
    return token.toJwt()
  }
  const cases = [
    {
      id: 'twilio-raw', section, role: 'raw', async: false,
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
      check: (token, i) => {
        const t = checkToken(token, i, 'raw')
        const ref = verifyHs256(reference(i), TWILIO.apiKeySecret)
        assert(keysOf(t.payload) === keysOf(ref.payload) && keysOf(t.header) === keysOf(ref.header), 'raw: differs from twilio\'s token')
      },
    },
    {
      id: 'twilio-sdk', section, role: 'sdk', async: false,
      label: 'twilio AccessToken + VideoGrant .toJwt()',
      fn: reference,
      check: (token, i) => checkToken(token, i, 'twilio'),
    },
  ]

  const adapter = await loadAdapter('@calltoken/twilio', 'twilio')
  if (adapter.skip) {
    skipped.push({ section, reason: adapter.skip })
    return { cases }
  }
  let provider, service
  try {
    provider = adapter.factory({ accountSid: TWILIO.accountSid, apiKeySid: TWILIO.apiKeySid, apiKeySecret: TWILIO.apiKeySecret })
    service = createTokenService({ provider })
  } catch (error) {
    return { cases, broken: [{ id: 'twilio-ours', reason: `twilio({ accountSid, apiKeySid, apiKeySecret }) threw: ${error.message}` }] }
  }
  const checkOurs = (issued, i) => {
    const t = checkToken(issued.token, i, 'ours')
    const ref = verifyHs256(reference(i), TWILIO.apiKeySecret)
    if (keysOf(t.header) !== keysOf(ref.header)) warn(`twilio: our header keys {${keysOf(t.header)}} vs twilio's {${keysOf(ref.header)}}`)
    if (keysOf(t.payload) !== keysOf(ref.payload)) warn(`twilio: our claims {${keysOf(t.payload)}} vs twilio's {${keysOf(ref.payload)}}`)
    if (keysOf(t.payload.grants) !== keysOf(ref.payload.grants)) warn(`twilio: our grants {${keysOf(t.payload.grants)}} vs twilio's {${keysOf(ref.payload.grants)}}`)
    const decoded = service.verifyToken(issued.token)
    assert(decoded.userId === users[i] && decoded.callId === calls[i], 'our own verifyToken disagrees')
  }
  cases.push(
    {
      id: 'twilio-ours-fn', section, role: 'ours', async: true,
      label: 'ours: await createCallToken(input, { provider })',
      fn: (i) => createCallToken({ userId: users[i], callId: calls[i] }, { provider }),
      check: checkOurs,
    },
    {
      id: 'twilio-ours-svc', section, role: 'ours', async: true,
      label: 'ours: await service.createCallToken(input)',
      fn: (i) => service.createCallToken({ userId: users[i], callId: calls[i] }),
      check: checkOurs,
    },
  )
  return { cases }
}

// ------------------------------------------------------------------------------------------------------------

const SAMPLE = [0, 1, 2, 3, 511, 1022, 1023]

/** Runs each case's check on a sample of users/calls; returns the reason it is broken, if it is. */
async function verifyCase(c) {
  try {
    for (const i of SAMPLE) {
      const out = c.async ? await c.fn(i) : c.fn(i)
      await c.check(out, i)
      c.tokenChars = (c.async ? out.token : out).length
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
}

function goalsFor(byId, skipped, broken) {
  const skipOf = (section) => skipped.find((s) => s.section === section)?.reason
  const g = (id, text, a, b, op, target, section) => {
    const ca = byId.get(a)
    const cb = byId.get(b)
    const measured = ca?.stats && cb?.stats ? pairedRatio(ca, cb) : undefined
    const cpu = measured ? pairedCpuRatio(ca, cb) : undefined
    return judge({ id, text, kind: 'ratio', op, target, measured, cpu, skipped: measured ? undefined : (skipOf(section) ?? (broken.some((x) => x.id === a || x.id === b || x.id === `${section}-ours`) ? 'BROKEN (see above)' : 'not measured')) })
  }
  return [
    g('stream-svc-vs-sdk', 'Stream: service.createCallToken vs SDK generateCallToken', 'stream-ours-svc', 'stream-sdk', '>=', 40, 'stream'),
    g('stream-fn-vs-sdk', 'Stream: createCallToken() vs SDK generateCallToken', 'stream-ours-fn', 'stream-sdk', '>=', 40, 'stream'),
    g('stream-svc-vs-raw', 'Stream: service.createCallToken vs raw HMAC', 'stream-ours-svc', 'stream-raw', '>=', 0.5, 'stream'),
    g('stream-fn-vs-raw', 'Stream: createCallToken() vs raw HMAC', 'stream-ours-fn', 'stream-raw', '>=', 0.5, 'stream'),
    g('agora-svc-vs-sdk', 'Agora: service.createCallToken vs agora-token', 'agora-ours-svc', 'agora-sdk', '>=', 2, 'agora'),
    g('agora-fn-vs-sdk', 'Agora: createCallToken() vs agora-token', 'agora-ours-fn', 'agora-sdk', '>=', 2, 'agora'),
    g('twilio-svc-vs-sdk', 'Twilio: service.createCallToken vs twilio toJwt', 'twilio-ours-svc', 'twilio-sdk', '>=', 40, 'twilio'),
    g('twilio-fn-vs-sdk', 'Twilio: createCallToken() vs twilio toJwt', 'twilio-ours-fn', 'twilio-sdk', '>=', 40, 'twilio'),
  ]
}

/** Informational ratios with no goal: our Agora/Twilio tokens against their raw node:crypto ceilings. */
function infoRatios(byId) {
  const pairs = [
    ['agora-ours-svc', 'agora-raw', 'Agora: service.createCallToken vs raw AccessToken2 (node:crypto + zlib)'],
    ['agora-ours-svc', 'stream-raw', 'Agora: service.createCallToken vs raw HS256 JWT (Stream claims)'],
    ['twilio-ours-svc', 'twilio-raw', 'Twilio: service.createCallToken vs raw HS256 JWT (Twilio claims)'],
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
  const warn = (line) => {
    if (!warnings.includes(line)) warnings.push(line)
  }
  const skipped = []
  const broken = []
  log(`\n== Mint throughput (${s.windows} x ${s.windowMs} ms windows per case, round-robin, ${s.warmupMs} ms warm-up; ${settings.quick ? 'QUICK' : 'full'} run)`)

  const st = streamCases(warn)
  const ag = await agoraCases(warn, skipped)
  const tw = await twilioCases(warn, skipped)
  broken.push(...(ag.broken ?? []), ...(tw.broken ?? []))
  const all = [...st.cases, ...ag.cases, ...tw.cases]

  for (const sk of skipped) log(`  SKIP ${sk.section}: our case is not measured: ${sk.reason}`)
  const runnable = []
  for (const c of all) {
    const reason = await verifyCase(c)
    if (reason) broken.push({ id: c.id, reason })
    else runnable.push(c)
  }
  const identity = await st.byteCheck().catch((error) => `byte check failed: ${error.message}`)
  log(`  verified ${runnable.length}/${all.length} cases on ${SAMPLE.length} users/calls each; ${identity}`)
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
    for (const sk of skipped.filter((x) => x.section === section)) rows.push(['ours: SKIPPED (see the SKIP line above)', '', '', '', '', '', '', ''])
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
    warn(`${starved.length}/${runnable.length} cases got < 80 % of a CPU during their windows (CPU µs/tok well below wall): ` +
      'another process was busy, so treat this run\'s figures as noisy and rerun before quoting them')
  }

  const goals = goalsFor(byId, skipped, broken)
  const info = infoRatios(byId)
  for (const w of warnings) log(`  WARNING ${w}`)
  return {
    section: {
      at: new Date().toISOString(),
      settings: s,
      quick: settings.quick,
      cases,
      info: info.map(({ text, ratio, cpu }) => ({ text, ratio, cpu })),
      skipped,
      broken,
      warnings,
      identity,
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
