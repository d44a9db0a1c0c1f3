import {
  andThen,
  configError,
  createHs256Jwt,
  decodeJwt,
  defineProvider,
  readAdapterOptions,
  readCredential,
  type CallTokenProvider,
  type MaybePromise,
  type SignedToken,
  type TokenClaims,
} from '@calltoken/core/provider'
import { callCidsOf, neutralClaims, streamPayload } from './claims'
import { streamWebhook } from './webhook'
import { callIdRule, callTypeRule, DEFAULT_ROLE_MAP, STREAM_ROLE, userIdRule } from './rules'

export interface StreamOptions {
  /** The app's API key (public; the client SDK needs it too). */
  apiKey: string
  /** The app's API secret. Server side only. */
  apiSecret: string
  /** Policy role → Stream call role. Default admin→admin, moderator→moderator, member→user; other roles keep their name. */
  roleMap?: Readonly<Record<string, string>>
}

/** What the Stream client SDK needs: `new StreamVideoClient({ apiKey, user: { id: userId }, token })`. */
export interface StreamConnect {
  readonly apiKey: string
  readonly userId: string
}

/** A token for a call: also `client.call(type, id)`, from the call's cid "<callType>:<callId>". */
export interface StreamCallConnect extends StreamConnect {
  /** The call's cid; for a token for several calls (`callIds`), the first one's. */
  readonly callCid: string
  /** Every call's cid, in the token's order, when the token is for several calls. */
  readonly callCids?: readonly string[]
}

/** The types of Stream tokens: `connect.callCid` on tokens for a call; call types ("default", "livestream"…). */
export interface StreamTypes {
  readonly connect: { readonly user: StreamConnect; readonly userInCall: StreamCallConnect; readonly call: StreamCallConnect }
  readonly callType: true
}

export type StreamProvider = CallTokenProvider<'stream', StreamTypes>

const OPTIONS = { provider: 'stream', known: ['apiKey', 'apiSecret', 'roleMap'], required: ['apiKey', 'apiSecret'] } as const

/**
 * The shortest API secret accepted. The Stream dashboard issues 64-character secrets (lower-case letters and digits);
 * Stream documents no length, so this is half of that: short enough for any secret Stream issues, long enough to
 * refuse a made-up or cut-off value.
 */
const MIN_API_SECRET_LENGTH = 32

/**
 * How many calls one call token may name (`callIds`). Stream documents no limit; this one is ours, so a token stays
 * small enough for a URL or a header (25 calls with 64-character ids: about 3 KB).
 */
const MAX_CALLS_PER_TOKEN = 25

/**
 * @throws ERR_CALLTOKEN_INVALID_CONFIG when an option is unknown (e.g. a misspelt `apiSecert`), the key or the secret is
 * missing or a placeholder, the secret has fewer than 32 characters, or a roleMap value is not a
 * Stream role name. The message never shows a value.
 *
 * @example
 * const provider = stream({ apiKey: process.env.STREAM_API_KEY!, apiSecret: process.env.STREAM_API_SECRET! })
 * const issued = await createCallToken({ userId: 'alice', callId: 'standup' }, { provider })
 * // browser: new StreamVideoClient({ apiKey: issued.connect.apiKey, user: { id: 'alice' }, token: issued.token })
 */
export function stream(options: StreamOptions): StreamProvider {
  const record = readAdapterOptions(options, OPTIONS) as Partial<StreamOptions>
  const source = 'the Stream dashboard'
  const apiKey = readCredential(record.apiKey, { provider: 'stream', name: 'apiKey', envName: 'STREAM_API_KEY', source })
  // Before the length check: the key copied into both is the likelier mistake than a short secret.
  if (typeof record.apiSecret === 'string' && record.apiSecret.trim() === apiKey) {
    throw configError('stream: apiKey and apiSecret are the same value; one of them is wrong')
  }
  const apiSecret = readCredential(record.apiSecret, {
    provider: 'stream',
    name: 'apiSecret',
    envName: 'STREAM_API_SECRET',
    source,
    minLength: MIN_API_SECRET_LENGTH,
  })
  // A Map, so role names such as "constructor" never reach Object.prototype.
  const roleMap = new Map(Object.entries({ ...DEFAULT_ROLE_MAP, ...record.roleMap }))
  for (const [role, streamRole] of roleMap) {
    if (typeof streamRole !== 'string' || !STREAM_ROLE.test(streamRole)) {
      throw configError(`stream: roleMap.${role} must be a Stream role name (letters, digits, _ and -)`)
    }
  }
  const jwt = createHs256Jwt(apiSecret, { typ: 'JWT' })

  const sign = (claims: TokenClaims): MaybePromise<SignedToken<StreamConnect | StreamCallConnect>> => {
    const callCids = callCidsOf(claims)
    // Object literals, one shape each: this runs on every mint.
    const connect: StreamConnect | StreamCallConnect =
      callCids === undefined
        ? { apiKey, userId: claims.userId }
        : claims.kind === 'call' && claims.callIds !== undefined
          ? { apiKey, userId: claims.userId, callCid: callCids[0]!, callCids }
          : { apiKey, userId: claims.userId, callCid: callCids[0]! }
    return andThen(jwt.sign(streamPayload(claims, callCids)), (token) => ({ token, connect }))
  }

  return defineProvider<'stream', StreamTypes>({
    id: 'stream',
    limits: { userId: userIdRule, callId: callIdRule, callType: callTypeRule, maxCallsPerToken: MAX_CALLS_PER_TOKEN },
    secrets: [apiSecret],
    mapRole: (role) => roleMap.get(role) ?? (STREAM_ROLE.test(role) ? role : undefined),
    sign,
    decode: (token) => neutralClaims(decodeJwt(token)),
    verifySignature: (token) => andThen(jwt.verify(token), neutralClaims),
    webhook: streamWebhook(apiSecret),
  })
}
