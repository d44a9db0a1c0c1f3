import { agora, type AgoraProvider } from '@calltoken/agora'
import { definePolicy } from '@calltoken/core'
import type { Config } from './config.ts'

/** Agora tokens last 24 h unless asked otherwise (the original API's "Token Expiry"); 24 h is also Agora's maximum. */
export const TOKEN_POLICY = definePolicy({ validity: { defaultSeconds: 86_400 } })

/** Numeric uids, as the original API's clients join with `client.join(appId, channel, token, uid)`. */
export function agoraProvider(config: Config['agora']): AgoraProvider<'uid'> {
  return agora({ appId: config.appId, appCertificate: config.appCertificate, userIdAs: 'uid' })
}
