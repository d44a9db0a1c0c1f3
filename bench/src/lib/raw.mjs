// The fair ceilings: the same tokens built directly on node:crypto (keys imported once where they can be).
import { createHmac, createSecretKey } from 'node:crypto'
import { deflateSync } from 'node:zlib'

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
