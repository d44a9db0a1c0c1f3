import jsrsasign from 'jsrsasign'

const { KJUR, b64utoutf8 } = jsrsasign

// Shaped like Video SDK credentials (a 22-character key, a 36-character secret); none of them exists.
export const SDK_KEY = 'q7Vx2LmR9tKz4WpN8bYc3D'
export const SDK_SECRET = 'H4kT9mQx2Vn7Lr3Pz8Wc5Yb1Jd6Fs0Ga9Eu2Oi'

export const credentials = { sdkKey: SDK_KEY, sdkSecret: SDK_SECRET } as const

export interface SampleInput {
  role: 0 | 1
  sessionName: string
  expirationSeconds: number
  userIdentity?: string
  sessionKey?: string
  geoRegions?: string
  cloudRecordingOption?: 0 | 1
  cloudRecordingElection?: 0 | 1
}

/**
 * The token Zoom's official auth-endpoint sample (zoom/videosdk-auth-endpoint-sample, src/index.js) builds, signed
 * with jsrsasign as the sample does, at the current (fake) clock. The sample still writes `user_identity`; the
 * current docs name it `user_key`, so `userKeyName` picks the name. The key is passed as UTF-8: jsrsasign reads a
 * plain string that looks like hex as hex bytes.
 */
export function sampleToken(input: SampleInput, userKeyName: 'user_identity' | 'user_key' = 'user_key'): string {
  const { role, sessionName, expirationSeconds, userIdentity, sessionKey, geoRegions, cloudRecordingOption, cloudRecordingElection } = input
  const iat = Math.floor(Date.now() / 1000)
  const exp = iat + expirationSeconds
  // The sample's geo_regions: the comma-separated list without whitespace.
  const geo_regions = geoRegions?.split(',').map((r) => r.replace(/\s+/g, '')).filter(Boolean).join(',')
  const payload = {
    app_key: SDK_KEY,
    role_type: role,
    tpc: sessionName,
    version: 1,
    iat,
    exp,
    [userKeyName]: userIdentity,
    session_key: sessionKey,
    geo_regions,
    cloud_recording_option: cloudRecordingOption,
    cloud_recording_election: cloudRecordingElection,
  }
  return KJUR.jws.JWS.sign('HS256', JSON.stringify({ alg: 'HS256', typ: 'JWT' }), JSON.stringify(payload), { utf8: SDK_SECRET })
}

/** Verifies `token` as jsrsasign does for the sample's tokens (HS256, the SDK secret as UTF-8) and returns its claims. */
export function jsrsasignRead(token: string, secret: string = SDK_SECRET): Record<string, unknown> {
  if (!KJUR.jws.JWS.verify(token, { utf8: secret }, ['HS256'])) throw new Error('jsrsasign: the signature does not verify')
  return JSON.parse(b64utoutf8(token.split('.')[1]!)) as Record<string, unknown>
}
