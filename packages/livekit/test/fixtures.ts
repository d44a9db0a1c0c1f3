import { AccessToken, type VideoGrant } from 'livekit-server-sdk'

// Shaped like LiveKit Cloud credentials (an "API" key of 15 characters, a 43-character secret); none of them exists.
export const API_KEY = 'APIx7Qm2Rk9Tz4W'
export const API_SECRET = 'Vq3Lm8Xz1Rt6Yw0Pk4Ns7Jd2Hg5Fc9Bv3Ea8Tu1Qo6'
export const SERVER_URL = 'wss://calltoken-test.livekit.cloud'

export const credentials = { apiKey: API_KEY, apiSecret: API_SECRET } as const

/** The same token minted by livekit-server-sdk's AccessToken + addGrant, at the current (fake) clock. */
export function sdkToken({ identity, ttl, grant }: { identity: string; ttl: number; grant: VideoGrant }): Promise<string> {
  const token = new AccessToken(API_KEY, API_SECRET, { identity, ttl })
  token.addGrant(grant)
  return token.toJwt()
}

/** A compact JWT's header and payload as the raw JSON text that was signed, plus the parsed objects. */
export function segments(token: string) {
  const [header = '', payload = ''] = token.split('.')
  const headerJson = Buffer.from(header, 'base64url').toString('utf8')
  const payloadJson = Buffer.from(payload, 'base64url').toString('utf8')
  return { headerJson, payloadJson, header: JSON.parse(headerJson) as Record<string, unknown>, payload: JSON.parse(payloadJson) as Record<string, unknown> }
}
