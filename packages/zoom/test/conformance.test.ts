import { runProviderConformance, type OracleReading } from '@calltoken/test-kit'
import { zoom, type ZoomOptions } from '@calltoken/zoom'
import { credentials, jsrsasignRead, SDK_SECRET } from './fixtures'

/** Read with jsrsasign, what Zoom's official auth-endpoint sample signs with, by Zoom's claim names. */
function readAsZoom(token: string): OracleReading {
  const claims = jsrsasignRead(token) as { user_key: string; tpc: string; role_type: number; iat: number; exp: number }
  return { userId: claims.user_key, callId: claims.tpc, providerRole: claims.role_type === 1 ? 'host' : 'participant', issuedAt: claims.iat, expiresAt: claims.exp }
}

runProviderConformance({
  provider: zoom(credentials),
  otherProvider: zoom({ ...credentials, sdkSecret: 'Zq8Xw3Rt6Yu1Io4Pa7Sd0Fg2Hj5Kl9MnB4Vc' }),
  secrets: [SDK_SECRET],
  oracle: readAsZoom,
  adapter: { create: (options) => zoom(options as ZoomOptions), options: credentials, secretOption: 'sdkSecret' },
  // Over 36 characters, an unpaired surrogate; session names over 200 characters or outside Zoom's set.
  invalidUserIds: ['u'.repeat(37), 'alice\uD800'],
  invalidCallIds: ['s'.repeat(201), 'team"meeting', 'café', 'tab\there'],
  rolesInToken: true,
  deterministic: true,
})
