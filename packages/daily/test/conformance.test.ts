import { daily, type DailyOptions } from '@calltoken/daily'
import { runProviderConformance, type OracleReading } from '@calltoken/test-kit'
import { API_KEY, credentials, joseRead } from './fixtures'

/** Read with jose (signature, HS256), by Daily's abbreviated claim names. */
async function readAsDaily(token: string): Promise<OracleReading> {
  // A date inside every token the suite mints, so only the signature decides: expiry is the suite's own check.
  const claims = (await joseRead(token, { currentDate: new Date((JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).iat + 1) * 1000) })) as {
    r: string
    ud: string
    o?: boolean
    iat: number
    exp: number
  }
  return { userId: claims.ud, callId: claims.r, providerRole: claims.o === true ? 'owner' : 'participant', issuedAt: claims.iat, expiresAt: claims.exp }
}

runProviderConformance({
  provider: daily(credentials),
  otherProvider: daily({ ...credentials, apiKey: '0f'.repeat(32) }),
  secrets: [API_KEY],
  oracle: readAsDaily,
  adapter: { create: (options) => daily(options as DailyOptions), options: credentials, secretOption: 'apiKey' },
  // Over 36 characters, an unpaired surrogate; room names outside Daily's set or over 128 characters.
  invalidUserIds: ['u'.repeat(37), 'alice\uD800'],
  invalidCallIds: ['r'.repeat(129), 'team meeting', 'café', 'a.b'],
  rolesInToken: true,
  deterministic: true,
})
