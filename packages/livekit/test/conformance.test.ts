import { livekit, type LiveKitOptions } from '@calltoken/livekit'
import { runProviderConformance, type OracleReading } from '@calltoken/test-kit'
import { TokenVerifier } from 'livekit-server-sdk'
import { API_KEY, API_SECRET, credentials } from './fixtures'

const verifier = new TokenVerifier(API_KEY, API_SECRET)

/** Read with livekit-server-sdk's TokenVerifier (signature, issuer, exp required), by LiveKit's claim names. */
async function readAsLiveKit(token: string): Promise<OracleReading> {
  // A tolerance wide enough for the suite's fixed clock in the past: expiry is the suite's own check.
  const claims = (await verifier.verify(token, 1e10)) as { sub: string; nbf: number; exp: number; video: Record<string, unknown> }
  const { video } = claims
  if (video.roomJoin !== true) return { userId: claims.sub, issuedAt: claims.nbf, expiresAt: claims.exp }
  const providerRole = video.roomAdmin ? 'admin' : video.canPublish === false ? 'viewer' : video.canUpdateOwnMetadata ? 'moderator' : 'member'
  return { userId: claims.sub, callId: video.room as string, providerRole, issuedAt: claims.nbf, expiresAt: claims.exp }
}

runProviderConformance({
  provider: livekit(credentials),
  otherProvider: livekit({ ...credentials, apiSecret: 'Zq8Xw3Rt6Yu1Io4Pa7Sd0Fg2Hj5Kl9MnB4Vc7Xz2Lq5' }),
  secrets: [API_SECRET],
  oracle: readAsLiveKit,
  adapter: { create: (options) => livekit(options as LiveKitOptions), options: credentials, secretOption: 'apiSecret' },
  // Longer than 256 UTF-8 bytes, and unpaired surrogates (not valid UTF-8).
  invalidUserIds: ['a'.repeat(257), 'é'.repeat(129), 'alice\uD800'],
  invalidCallIds: ['r'.repeat(257), '\uDC00room'],
  rolesInToken: true,
  deterministic: true,
})
