import { stream } from '@calltoken/stream'
import { runProviderConformance } from '@calltoken/test-kit'

const apiSecret = 'conformance-secret-3f9d2c7a1b'

runProviderConformance({
  provider: stream({ apiKey: 'conformancekey', apiSecret }),
  otherProvider: stream({ apiKey: 'conformancekey', apiSecret: 'another-secret-8e1f0a' }),
  secrets: [apiSecret],
  invalidUserIds: ['auth0|123', 'al ice', 'ünïcode', 'a'.repeat(256)],
  invalidCallIds: ['default:abc', 'with space', 'a/b'],
  rolesInToken: true,
  deterministic: true,
})
