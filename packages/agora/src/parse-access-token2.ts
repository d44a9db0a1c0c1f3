import { base64, bytesFromBase64, inflate } from '#zlib'
import { invalidToken, isCallTokenError } from '@calltoken/core/provider'
import { ACCESS_TOKEN2_VERSION } from './access-token2'
import type { Privileges } from './privileges'

/** A service read back from a token: its type, privileges and own fields (RTC: channelName, uid). */
export interface ParsedService {
  readonly type: number
  /** 'rtc', 'rtm', 'streaming', 'fpa', 'chat', 'fcdn', 'apaas', 'rtm2', 'convoai' or 'stt'. */
  readonly name: string
  readonly privileges: Privileges
  readonly [field: string]: unknown
}

/** What an AccessToken2 token says, signature aside. */
export interface AccessToken2Content {
  readonly appId: string
  readonly issueTs: number
  /** Seconds after issueTs. */
  readonly expire: number
  readonly salt: number
  readonly services: readonly ParsedService[]
  /** Set when reading stopped at a service type unknown here (as agora-token does); later services are unread. */
  readonly unknownServiceType?: number
}

export interface ParsedAccessToken2 {
  readonly content: AccessToken2Content
  readonly signature: Uint8Array
  /** The signed bytes, kept as found so the signature can be checked over exactly them. */
  readonly signingInfo: Uint8Array
}

// Real tokens are a few hundred characters; the limits only bound the work garbage can cause.
const MAX_TOKEN_LENGTH = 64 * 1024
const MAX_CONTENT_BYTES = 1024 * 1024
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

type FieldKind = 'string' | 'int16' | 'rtm2-permissions'

// The fields after the privileges, per service type, as agora-token 2.0.6 packs them.
const SERVICE_LAYOUTS: Readonly<Record<number, { name: string; fields: readonly (readonly [string, FieldKind])[] }>> = {
  1: { name: 'rtc', fields: [['channelName', 'string'], ['uid', 'string']] },
  2: { name: 'rtm', fields: [['userId', 'string']] },
  3: { name: 'streaming', fields: [['channelName', 'string'], ['account', 'string']] },
  4: { name: 'fpa', fields: [] },
  5: { name: 'chat', fields: [['userId', 'string']] },
  6: { name: 'fcdn', fields: [['channelName', 'string'], ['account', 'string']] },
  7: { name: 'apaas', fields: [['roomUuid', 'string'], ['userUuid', 'string'], ['role', 'int16']] },
  8: { name: 'rtm2', fields: [['userId', 'string'], ['permissions', 'rtm2-permissions']] },
  9: { name: 'convoai', fields: [] },
  10: { name: 'stt', fields: [] },
}

const bad = (reason: string) => invalidToken('agora', reason)

/**
 * Reads any AccessToken2 token without checking its signature. Strict where agora-token is lax:
 * canonical base64 only, no bytes after the zlib stream or the last service, no set padding bits,
 * valid UTF-8, no repeated privilege. Anything wrong is ERR_CALLTOKEN_INVALID_TOKEN, never a zlib
 * or range error. Both zlib backends inflate as strictly, so it reads the same on every runtime.
 */
export function parseAccessToken2(token: unknown): ParsedAccessToken2 {
  try {
    return parse(token)
  } catch (error) {
    if (isCallTokenError(error)) throw error
    throw bad('it could not be read')
  }
}

function parse(token: unknown): ParsedAccessToken2 {
  if (typeof token !== 'string') throw bad('a token must be a string')
  if (!token.startsWith(ACCESS_TOKEN2_VERSION)) throw bad(`an AccessToken2 token starts with "${ACCESS_TOKEN2_VERSION}"`)
  if (token.length > MAX_TOKEN_LENGTH) throw bad('it is too long')
  const body = token.slice(ACCESS_TOKEN2_VERSION.length)
  // Decoders ignore spare bits; re-encoding catches them (the pattern already refused every other character).
  const compressed = BASE64.test(body) ? bytesFromBase64(body) : undefined
  if (compressed === undefined || compressed.length === 0 || base64(compressed) !== body) {
    throw bad('the part after "007" is not base64')
  }

  let inflated: Uint8Array
  try {
    inflated = inflate(compressed, MAX_CONTENT_BYTES)
  } catch (error) {
    // Either backend's reason (never an instanceof check: the CommonJS build has a copy of the class per entry).
    throw bad(`the payload is not valid zlib data: ${(error as Error).message}`)
  }

  const reader = new Reader(inflated)
  const signature = reader.bytes()
  if (signature.length !== 32) throw bad('the signature is not 32 bytes')
  const signingInfo = inflated.subarray(reader.offset)
  const appId = reader.string()
  const issueTs = reader.u32()
  const expire = reader.u32()
  const salt = reader.u32()
  const count = reader.u16()
  const services: ParsedService[] = []
  let unknownServiceType: number | undefined
  for (let i = 0; i < count; i++) {
    const type = reader.u16()
    const layout = SERVICE_LAYOUTS[type]
    // Like agora-token: an unknown type's length is unknown too, so reading stops here.
    if (!layout) {
      unknownServiceType = type
      break
    }
    const service: Record<string, unknown> = { type, name: layout.name, privileges: readPrivileges(reader) }
    for (const [field, kind] of layout.fields) {
      service[field] = kind === 'string' ? reader.string() : kind === 'int16' ? reader.i16() : readRtm2Permissions(reader)
    }
    services.push(service as ParsedService)
  }
  if (unknownServiceType === undefined && reader.remaining > 0) throw bad('there are bytes after the last service')

  const content: AccessToken2Content = {
    appId,
    issueTs,
    expire,
    salt,
    services,
    ...(unknownServiceType === undefined ? {} : { unknownServiceType }),
  }
  return { content, signature, signingInfo }
}

function readPrivileges(reader: Reader): Privileges {
  const privileges: Record<number, number> = {}
  const count = reader.u16()
  for (let i = 0; i < count; i++) {
    const id = reader.u16()
    if (id in privileges) throw bad('a service lists one privilege twice')
    privileges[id] = reader.u32()
  }
  return privileges
}

/** RTM2 permissions: resource type → permission type → resource names. */
function readRtm2Permissions(reader: Reader): Record<number, Record<number, string[]>> {
  const details: Record<number, Record<number, string[]>> = {}
  const resourceTypes = reader.u16()
  for (let i = 0; i < resourceTypes; i++) {
    const permissions: Record<number, string[]> = (details[reader.u16()] = {})
    const permissionTypes = reader.u16()
    for (let j = 0; j < permissionTypes; j++) {
      const resources: string[] = (permissions[reader.u16()] = [])
      const resourceCount = reader.u16()
      for (let k = 0; k < resourceCount; k++) resources.push(reader.string())
    }
  }
  return details
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Little-endian reads that refuse to run past the end. */
class Reader {
  offset = 0
  private readonly view: DataView
  constructor(private readonly buffer: Uint8Array) {
    this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  }

  get remaining(): number {
    return this.buffer.length - this.offset
  }

  private take(length: number): number {
    if (length > this.remaining) throw bad('it is truncated')
    const at = this.offset
    this.offset += length
    return at
  }

  u16(): number {
    return this.view.getUint16(this.take(2), true)
  }

  i16(): number {
    return this.view.getInt16(this.take(2), true)
  }

  u32(): number {
    return this.view.getUint32(this.take(4), true)
  }

  bytes(): Uint8Array {
    const length = this.u16()
    const at = this.take(length)
    return this.buffer.subarray(at, at + length)
  }

  string(): string {
    try {
      return utf8.decode(this.bytes())
    } catch (error) {
      if (isCallTokenError(error)) throw error
      throw bad('a string is not UTF-8')
    }
  }
}
