import { runProviderConformance } from '@calltoken/test-kit'
import { twilio } from '@calltoken/twilio'
import { API_KEY_SECRET, credentials } from './fixtures'

runProviderConformance({
  provider: twilio(credentials),
  otherProvider: twilio({ ...credentials, apiKeySecret: 'Zq8Xw3Rt6Yu1Io4Pa7Sd0Fg2Hj5Kl9Mn' }),
  secrets: [API_KEY_SECRET],
  // Too long as Twilio counts (ASCII, CJK counted 2, emoji 4), and unpaired surrogates (not valid UTF-8).
  invalidUserIds: ['a'.repeat(129), '漢'.repeat(65), '😀'.repeat(33), 'alice\uD800'],
  invalidCallIds: ['r'.repeat(129), '部屋'.repeat(33), '\uDC00room'],
  rolesInToken: false,
  deterministic: true,
})
