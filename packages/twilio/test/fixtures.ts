import AccessToken from 'twilio/lib/jwt/AccessToken'

// Shaped like real credentials; none of them exists. The SIDs and the secret are twilio-node's own test fixtures
// (spec/unit/jwt/AccessToken.spec.js).
export const ACCOUNT_SID = 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
export const API_KEY_SID = 'SKb5aed9ca12bf5890f37930e63cad6d38'
export const API_KEY_SECRET = 'aTBl1PhJnykIjWll4TOiXKtD1ugxiz6f'

export const credentials = { accountSid: ACCOUNT_SID, apiKeySid: API_KEY_SID, apiKeySecret: API_KEY_SECRET } as const

export interface OracleInput {
  identity: string
  room?: string
  ttl: number
  region?: string
}

/** The same token minted by twilio-node's AccessToken + VideoGrant, at the current (fake) clock. */
export function twilioNodeToken({ identity, room, ttl, region }: OracleInput): string {
  const token = new AccessToken(ACCOUNT_SID, API_KEY_SID, API_KEY_SECRET, { identity, ttl, ...(region ? { region } : {}) })
  token.addGrant(new AccessToken.VideoGrant(room === undefined ? {} : { room }))
  return token.toJwt()
}

/** A compact JWT's header and payload as the raw JSON text that was signed, plus the parsed objects. */
export function segments(token: string) {
  const [header = '', payload = ''] = token.split('.')
  const headerJson = Buffer.from(header, 'base64url').toString('utf8')
  const payloadJson = Buffer.from(payload, 'base64url').toString('utf8')
  return {
    headerJson,
    payloadJson,
    header: JSON.parse(headerJson) as Record<string, unknown>,
    payload: JSON.parse(payloadJson) as Record<string, unknown>,
  }
}
