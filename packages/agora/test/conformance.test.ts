import { agora } from '@calltoken/agora'
import { runProviderConformance } from '@calltoken/test-kit'
import { describe } from 'vitest'
import { APP_CERTIFICATE, APP_ID, OTHER_CERTIFICATE } from './fixtures'

// Characters outside Agora's 89 (quote, slash, star, backslash, tab, non-ASCII) and lengths over its byte limits.
const badCharacters = ['al/ice', 'star*', "o'brien", 'back\\slash', 'tab\there', 'ünïcode', '😀']

describe("userIdAs: 'account' (default)", () => {
  runProviderConformance({
    provider: agora({ appId: APP_ID, appCertificate: APP_CERTIFICATE }),
    otherProvider: agora({ appId: APP_ID, appCertificate: OTHER_CERTIFICATE }),
    secrets: [APP_CERTIFICATE],
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
    sample: { userId: '2882341273', callId: 'team-meeting-123' },
    invalidUserIds: ['0', '-1', '1.5', '4294967296', 'abc', '0123', '+1', ' 1', '1e3', '0x10', 'alice'],
    invalidCallIds: [...badCharacters, 'c'.repeat(64)],
    rolesInToken: true,
    deterministic: false,
  })
})
