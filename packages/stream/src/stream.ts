import { configError, createHs256Jwt, decodeJwt, defineProvider, readCredential, type CallTokenProvider, type TokenClaims } from '@calltoken/core'
import { neutralClaims, streamPayload } from './claims'
import { callIdRule, callTypeRule, DEFAULT_ROLE_MAP, STREAM_ROLE, userIdRule } from './rules'

export interface StreamOptions {
  /** The app's API key (public; the client SDK needs it too). */
  apiKey: string
  /** The app's API secret. Server side only. */
  apiSecret: string
  /** Policy role → Stream call role. Default admin→admin, moderator→moderator, member→user; other roles keep their name. */
  roleMap?: Readonly<Record<string, string>>
}

/** What the Stream client SDK needs: `new StreamVideoClient({ apiKey, user: { id: userId }, token })`, then `client.call(type, id)`. */
export interface StreamConnect {
  readonly apiKey: string
  readonly userId: string
  /** "<callType>:<callId>" when the token is for one call. */
  readonly callCid?: string
}

export type StreamProvider = CallTokenProvider<'stream', StreamConnect>

export function stream(options: StreamOptions): StreamProvider {
  const source = 'the Stream dashboard'
  const apiKey = readCredential(options?.apiKey, { provider: 'stream', name: 'apiKey', envName: 'STREAM_API_KEY', source })
  const apiSecret = readCredential(options?.apiSecret, { provider: 'stream', name: 'apiSecret', envName: 'STREAM_API_SECRET', source })
  if (apiKey === apiSecret) throw configError('stream: apiKey and apiSecret are the same value; one of them is wrong')
  // A Map, so role names such as "constructor" never reach Object.prototype.
  const roleMap = new Map(Object.entries({ ...DEFAULT_ROLE_MAP, ...options.roleMap }))
  for (const [role, streamRole] of roleMap) {
    if (typeof streamRole !== 'string' || !STREAM_ROLE.test(streamRole)) {
      throw configError(`stream: roleMap.${role} must be a Stream role name (letters, digits, _ and -)`)
    }
  }
  const jwt = createHs256Jwt(apiSecret, { typ: 'JWT' })

  const sign = (claims: TokenClaims) => ({
    token: jwt.sign(streamPayload(claims)),
    connect: {
      apiKey,
      userId: claims.userId,
      ...(claims.callId === undefined ? {} : { callCid: `${claims.callType}:${claims.callId}` }),
    },
  })

  return defineProvider({
    id: 'stream',
    limits: { userId: userIdRule, callId: callIdRule, callType: callTypeRule },
    secrets: [apiSecret],
    mapRole: (role) => roleMap.get(role) ?? (STREAM_ROLE.test(role) ? role : undefined),
    signUser: sign,
    signCall: sign,
    decode: (token) => neutralClaims(decodeJwt(token)),
    verifySignature: (token) => neutralClaims(jwt.verify(token)),
  })
}
