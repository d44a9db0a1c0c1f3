import { stream } from '@calltoken/stream'
import { runProviderConformance } from '@calltoken/test-kit'

const apiSecret = '5s22i55e5yj9fuj5c4wxmf34kpt7v188m11xl97xduv4q706elthhf2n8123eepv'

runProviderConformance({
  provider: stream({ apiKey: 'conformancekey', apiSecret }),
  otherProvider: stream({ apiKey: 'conformancekey', apiSecret: '1cuov9kv3vx55ynsa6svpffifg7x96zhtg6ggywp9vrpsj0lvhucht7d8jm8t605' }),
  secrets: [apiSecret],
  invalidUserIds: ['auth0|123', 'al ice', 'ünïcode', 'a'.repeat(256)],
  invalidCallIds: ['default:abc', 'with space', 'a/b'],
  rolesInToken: true,
  deterministic: true,
})
