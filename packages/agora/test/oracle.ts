import { createRequire } from 'node:module'
import type * as AgoraToken from 'agora-token'
import type * as AccessToken2Module from 'agora-token/src/AccessToken2'

// agora-token is CommonJS whose root exports Node's ESM loader cannot see, so it is required.
const require = createRequire(import.meta.url)
export const { RtcRole, RtcTokenBuilder, RtmTokenBuilder } = require('agora-token') as typeof AgoraToken
const { AccessToken2 } = require('agora-token/src/AccessToken2') as typeof AccessToken2Module

/** What agora-token's own parser reads from a token, or undefined when it refuses it. */
export interface OracleView {
  appId: string
  issueTs: number
  expire: number
  salt: number
  /** Whether agora-token's verifySignature accepts it with `appCertificate`. */
  verified: boolean
  rtc: { channel: string; uid: string; privileges: Record<number, number> }[]
  rtm: { userId: string; privileges: Record<number, number> }[]
}

export function oracleRead(token: string, appCertificate: string): OracleView | undefined {
  const parsed = new AccessToken2('', '', 0, 0)
  if (!parsed.from_string(token)) return undefined
  return {
    appId: String(parsed.appId),
    issueTs: parsed.issueTs,
    expire: parsed.expire,
    salt: parsed.salt,
    verified: parsed.verifySignature(appCertificate),
    rtc: parsed.getServices(1).map((s) => {
      const rtc = s as AccessToken2Module.ServiceRtc
      return { channel: String(rtc.__channel_name), uid: String(rtc.__uid), privileges: { ...rtc.__privileges } }
    }),
    rtm: parsed.getServices(2).map((s) => {
      const rtm = s as AccessToken2Module.ServiceRtm
      return { userId: String(rtm.__user_id), privileges: { ...rtm.__privileges } }
    }),
  }
}
