// The fair ceilings: the same tokens built directly on node:crypto (keys imported once where they can be),
// plus independent decoders/verifiers the bench uses to check every case's output before timing it.
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto'
import { deflateSync, inflateSync } from 'node:zlib'

const b64json = (value) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** An HS256 signer with a fixed header and a KeyObject imported once. */
export function hs256Signer(secret, header) {
  const key = createSecretKey(Buffer.from(secret, 'utf8'))
  const encodedHeader = b64json(header)
  return (payload) => {
    const data = `${encodedHeader}.${b64json(payload)}`
    return `${data}.${createHmac('sha256', key).update(data).digest('base64url')}`
  }
}

/** Decodes a compact JWT and checks its HS256 signature; throws with a reason. */
export function verifyHs256(token, secret) {
  if (typeof token !== 'string') throw new Error(`token is ${typeof token}, not a string`)
  const parts = token.split('.')
  if (parts.length !== 3) throw new Error('not a compact JWT (3 dot-separated parts)')
  const [h, p, s] = parts
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'))
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'))
  if (header.alg !== 'HS256') throw new Error(`alg is ${header.alg}, expected HS256`)
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest()
  const actual = Buffer.from(s, 'base64url')
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw new Error('HS256 signature does not verify')
  return { header, payload }
}

// --- Agora AccessToken2 ("007"), written directly: 3 HMAC-SHA256 + zlib deflate + base64 ----------------

const RTC_SERVICE = 1
// join channel, publish audio, publish video, publish data stream
const PUBLISHER_PRIVILEGES = [1, 2, 3, 4]

function u32(n) {
  const b = Buffer.allocUnsafe(4)
  b.writeUInt32LE(n >>> 0)
  return b
}

/**
 * The same token as agora-token's RtcTokenBuilder.buildTokenWithUid(appId, cert, channel, uid, PUBLISHER,
 * expire, privilegeExpire): one RTC service, publisher privileges.
 */
export function agoraRawBuilder(appId, appCertificate) {
  const appIdBytes = Buffer.from(appId)
  return (channel, uid, expire, privilegeExpire = 0) => {
    const issueTs = Math.floor(Date.now() / 1000)
    const salt = Math.floor(Math.random() * 99999999) + 1
    let signing = createHmac('sha256', u32(issueTs)).update(appCertificate).digest()
    signing = createHmac('sha256', u32(salt)).update(signing).digest()

    const ch = Buffer.from(channel)
    const account = Buffer.from(uid === 0 ? '' : String(uid))
    const n = PUBLISHER_PRIVILEGES.length
    const infoLength = 2 + appIdBytes.length + 4 + 4 + 4 + 2 + 2 + 2 + n * 6 + 2 + ch.length + 2 + account.length
    const content = Buffer.allocUnsafe(2 + 32 + infoLength)
    let o = 34
    o = content.writeUInt16LE(appIdBytes.length, o)
    o += appIdBytes.copy(content, o)
    o = content.writeUInt32LE(issueTs >>> 0, o)
    o = content.writeUInt32LE(expire >>> 0, o)
    o = content.writeUInt32LE(salt, o)
    o = content.writeUInt16LE(1, o) // one service
    o = content.writeUInt16LE(RTC_SERVICE, o)
    o = content.writeUInt16LE(n, o)
    for (const privilege of PUBLISHER_PRIVILEGES) {
      o = content.writeUInt16LE(privilege, o)
      o = content.writeUInt32LE(privilegeExpire >>> 0, o)
    }
    o = content.writeUInt16LE(ch.length, o)
    o += ch.copy(content, o)
    o = content.writeUInt16LE(account.length, o)
    account.copy(content, o)

    const signature = createHmac('sha256', signing).update(content.subarray(34)).digest()
    content.writeUInt16LE(32, 0)
    signature.copy(content, 2)
    return `007${deflateSync(content).toString('base64')}`
  }
}

/** Unpacks an AccessToken2 without checking it: the fields a check needs. */
export function decodeAgora(token) {
  if (typeof token !== 'string' || !token.startsWith('007')) throw new Error('not an AccessToken2 ("007…") token')
  const buf = inflateSync(Buffer.from(token.slice(3), 'base64'))
  let o = 0
  const u16 = () => ((o += 2), buf.readUInt16LE(o - 2))
  const u32r = () => ((o += 4), buf.readUInt32LE(o - 4))
  const bytes = () => {
    const len = u16()
    o += len
    return buf.subarray(o - len, o)
  }
  const signature = bytes()
  const infoStart = o
  const appId = bytes().toString()
  const issueTs = u32r()
  const expire = u32r()
  const salt = u32r()
  const services = []
  for (let count = u16(), s = 0; s < count; s++) {
    const type = u16()
    const privileges = {}
    for (let k = u16(), j = 0; j < k; j++) privileges[u16()] = u32r()
    const service = { type, privileges }
    if (type === RTC_SERVICE) {
      service.channel = bytes().toString()
      service.uid = bytes().toString()
    } else {
      service.unparsed = true
      services.push(service)
      break // other service layouts are not decoded here
    }
    services.push(service)
  }
  return { signature, signingInfo: buf.subarray(infoStart), appId, issueTs, expire, salt, services }
}

/** Checks an unpacked AccessToken2's signature (the same derivation agora-token uses). */
export function agoraSignatureOk(decoded, appCertificate) {
  let signing = createHmac('sha256', u32(decoded.issueTs)).update(appCertificate).digest()
  signing = createHmac('sha256', u32(decoded.salt)).update(signing).digest()
  const expected = createHmac('sha256', signing).update(decoded.signingInfo).digest()
  return decoded.signature.length === expected.length && timingSafeEqual(decoded.signature, expected)
}
