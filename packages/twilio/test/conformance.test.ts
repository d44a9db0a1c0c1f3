import { runProviderConformance, type OracleReading } from '@calltoken/test-kit'
import { twilio, type TwilioOptions } from '@calltoken/twilio'
import jsonwebtoken from 'jsonwebtoken'
import { API_KEY_SECRET, API_KEY_SID, ACCOUNT_SID, credentials } from './fixtures'

/** Read with jsonwebtoken, the library twilio-node signs access tokens with, by Twilio's claim names. */
function readAsTwilio(token: string): OracleReading {
  const claims = jsonwebtoken.verify(token, API_KEY_SECRET, { algorithms: ['HS256'], ignoreExpiration: true, issuer: API_KEY_SID, subject: ACCOUNT_SID }) as {
    grants: { identity: string; video?: { room?: string } }
    iat: number
    exp: number
  }
  const room = claims.grants.video?.room
  return { userId: claims.grants.identity, ...(room === undefined ? {} : { callId: room }), issuedAt: claims.iat, expiresAt: claims.exp }
}

runProviderConformance({
  provider: twilio(credentials),
  otherProvider: twilio({ ...credentials, apiKeySecret: 'Zq8Xw3Rt6Yu1Io4Pa7Sd0Fg2Hj5Kl9Mn' }),
  secrets: [API_KEY_SECRET],
  oracle: readAsTwilio,
  adapter: { create: (options) => twilio(options as TwilioOptions), options: credentials, secretOption: 'apiKeySecret' },
  // Too long as Twilio counts (ASCII, CJK counted 2, emoji 4), and unpaired surrogates (not valid UTF-8).
  invalidUserIds: ['a'.repeat(129), '漢'.repeat(65), '😀'.repeat(33), 'alice\uD800'],
  invalidCallIds: ['r'.repeat(129), '部屋'.repeat(33), '\uDC00room'],
  rolesInToken: false,
  deterministic: true,
})
