import { base64, deflate } from '#zlib'
import { andThen, utf8Length, type MaybePromise } from '@calltoken/core/provider'
import type { Privileges } from './privileges'
import { accessToken2Signature } from './signing'

export const ACCESS_TOKEN2_VERSION = '007'

/** One service of an AccessToken2 token. */
export interface AccessToken2Service {
  readonly type: number
  readonly privileges: Privileges
  /** The service's strings after its privileges, in wire order: RTC channel name and uid or account; RTM user id. */
  readonly strings: readonly string[]
}

export interface AccessToken2Fields {
  readonly appId: string
  readonly appCertificate: string
  /** Seconds since the epoch. */
  readonly issueTs: number
  /** Seconds after issueTs at which the token ends (relative, not a timestamp). */
  readonly expire: number
  /** 1..99999999, random per token in production. */
  readonly salt: number
  readonly services: readonly AccessToken2Service[]
}

const HEX_32 = /^[0-9a-fA-F]{32}$/
const SIGNATURE_BYTES = 32

/**
 * Encodes an AccessToken2 ("007") token:
 *   "007" + base64(deflate(putString(signature) ‖ signingInfo))
 *   signingInfo = putString(appId) ‖ u32 issueTs ‖ u32 expire ‖ u32 salt ‖ u16 n ‖ service*
 *   service     = u16 type ‖ u16 nPriv ‖ (u16 id ‖ u32 expire)* ‖ putString(string)*
 * Little-endian throughout; services in stable type order, privileges in id order (as agora-token).
 * Internal: the provider validates every value before it gets here; these checks only stop a bug
 * from turning into a silently wrong token.
 */
export function encodeAccessToken2(fields: AccessToken2Fields): MaybePromise<string> {
  const { appId, appCertificate, issueTs, expire, salt } = fields
  if (!HEX_32.test(appId) || !HEX_32.test(appCertificate)) throw new TypeError('AccessToken2 needs a 32-hex-character appId and appCertificate')
  if (fields.services.length === 0) throw new TypeError('AccessToken2 needs at least one service')
  assertUint('issueTs', issueTs, 0xffff_ffff)
  assertUint('expire', expire, 0xffff_ffff)
  assertUint('salt', salt, 0xffff_ffff)

  // Array.prototype.sort is stable, so services of one type keep their order.
  const services = fields.services.length === 1 ? fields.services : [...fields.services].sort((a, b) => a.type - b.type)
  let signingInfoLength = 2 + appId.length + 12 + 2
  for (const service of services) signingInfoLength += serviceLength(service)

  // One buffer: the signature's slot first, then the signing info it is computed over. Sized exactly, written once.
  const content = new Uint8Array(2 + SIGNATURE_BYTES + signingInfoLength)
  const out = new Writer(content)
  out.u16(SIGNATURE_BYTES)
  out.at += SIGNATURE_BYTES
  const signingInfoStart = out.at
  out.string(appId)
  out.u32(issueTs)
  out.u32(expire)
  out.u32(salt)
  out.u16(services.length)
  for (const service of services) {
    out.u16(service.type)
    const countAt = out.at
    out.at += 2
    let count = 0
    // Integer keys enumerate in ascending order (ECMA-262 OrdinaryOwnPropertyKeys): the privileges come out sorted.
    for (const id in service.privileges) {
      out.u16(Number(id))
      out.u32(service.privileges[id as unknown as number]!)
      count++
    }
    out.u16At(countAt, count)
    for (const text of service.strings) out.string(text)
  }
  if (out.at !== content.length) throw new Error('AccessToken2 length mismatch')

  return andThen(accessToken2Signature(appCertificate, issueTs, salt, content.subarray(signingInfoStart)), (signature) => {
    content.set(signature, 2)
    return ACCESS_TOKEN2_VERSION + base64(deflate(content))
  })
}

/** Bytes `service` takes on the wire, after checking that each of its values fits its field. */
function serviceLength(service: AccessToken2Service): number {
  assertUint('service type', service.type, 0xffff)
  let count = 0
  for (const id in service.privileges) {
    assertUint('privilege id', Number(id), 0xffff)
    assertUint('privilege expire', service.privileges[id as unknown as number]!, 0xffff_ffff)
    count++
  }
  assertUint('privilege count', count, 0xffff)
  let length = 4 + 6 * count
  for (const text of service.strings) {
    const bytes = utf8Length(text)
    assertUint('string length', bytes, 0xffff)
    length += 2 + bytes
  }
  return length
}

const utf8 = new TextEncoder()

/** Little-endian writes into a buffer of the exact size. */
class Writer {
  at = 0
  private readonly view: DataView
  constructor(private readonly target: Uint8Array) {
    this.view = new DataView(target.buffer, target.byteOffset, target.byteLength)
  }

  u16(value: number): void {
    this.view.setUint16(this.at, value, true)
    this.at += 2
  }

  u16At(at: number, value: number): void {
    this.view.setUint16(at, value, true)
  }

  u32(value: number): void {
    this.view.setUint32(this.at, value, true)
    this.at += 4
  }

  /** A length-prefixed UTF-8 string (agora-token's putString); ASCII is copied code unit by code unit. */
  string(text: string): void {
    const start = this.at
    this.at += 2
    let ascii = true
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i)
      if (unit > 0x7f) {
        ascii = false
        break
      }
      this.target[this.at + i] = unit
    }
    const length = ascii ? text.length : utf8.encodeInto(text, this.target.subarray(this.at)).written
    this.u16At(start, length)
    this.at += length
  }
}

function assertUint(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`AccessToken2 ${name} must be a whole number in 0..${max}`)
}
