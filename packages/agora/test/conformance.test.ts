import { agora, type AgoraOptions } from '@calltoken/agora'
import { runProviderConformance, type OracleReading } from '@calltoken/test-kit'
import { describe } from 'vitest'
import { APP_CERTIFICATE, APP_ID, OTHER_CERTIFICATE } from './fixtures'
import { oracleRead } from './oracle'

// Characters outside Agora's 89 (quote, slash, star, backslash, tab, non-ASCII) and lengths over its byte limits.
const badCharacters = ['al/ice', 'star*', "o'brien", 'back\\slash', 'tab\there', 'ünïcode', '😀']
// AccessToken2's RTC privileges: 1 join, 2 publish audio, 3 publish video, 4 publish data.
const PUBLISH_AUDIO = 2

/** Read with agora-token's own AccessToken2 parser and signature check. */
function readAsAgora(token: string, userIdAs: 'account' | 'uid'): OracleReading {
  const read = oracleRead(token, APP_CERTIFICATE)
  if (!read?.verified) throw new Error('agora-token refuses the token')
  const times = { issuedAt: read.issueTs, expiresAt: read.issueTs + read.expire }
  const [rtc] = read.rtc
  if (rtc === undefined) return { userId: read.rtm[0]!.userId, ...times }
  const userId = userIdAs === 'uid' ? (rtc.uid === '' ? '0' : rtc.uid) : rtc.uid
  return { userId, callId: rtc.channel, providerRole: PUBLISH_AUDIO in rtc.privileges ? 'publisher' : 'subscriber', ...times }
}

const adapter = { create: (options: unknown) => agora(options as AgoraOptions), options: { appId: APP_ID, appCertificate: APP_CERTIFICATE }, secretOption: 'appCertificate' }

describe("userIdAs: 'account' (default)", () => {
  runProviderConformance({
    provider: agora({ appId: APP_ID, appCertificate: APP_CERTIFICATE }),
    otherProvider: agora({ appId: APP_ID, appCertificate: OTHER_CERTIFICATE }),
    secrets: [APP_CERTIFICATE],
    oracle: (token) => readAsAgora(token, 'account'),
    adapter,
    invalidUserIds: [...badCharacters, 'a'.repeat(256)],
    invalidCallIds: [...badCharacters, 'c'.repeat(64), 'é'.repeat(32)],
    rolesInToken: true,
    // A random salt per token, as agora-token does.
    deterministic: false,
  })
})

describe("userIdAs: 'uid'", () => {
  runProviderConformance({
    provider: agora({ appId: APP_ID, appCertificate: APP_CERTIFICATE, userIdAs: 'uid' }),
    otherProvider: agora({ appId: APP_ID, appCertificate: OTHER_CERTIFICATE, userIdAs: 'uid' }),
    secrets: [APP_CERTIFICATE],
    oracle: (token) => readAsAgora(token, 'uid'),
    adapter,
    sample: { userId: '2882341273', callId: 'team-meeting-123' },
    invalidUserIds: ['0', '-1', '1.5', '4294967296', 'abc', '0123', '+1', ' 1', '1e3', '0x10', 'alice'],
    invalidCallIds: [...badCharacters, 'c'.repeat(64)],
    rolesInToken: true,
    deterministic: false,
  })
})
