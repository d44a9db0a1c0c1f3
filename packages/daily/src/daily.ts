import {
  andThen,
  configError,
  createHs256Jwt,
  decodeJwt,
  defineProvider,
  readAdapterOptions,
  readCredential,
  readRoleMap,
  type CallTokenProvider,
  type TokenClaims,
} from '@calltoken/core/provider'
import { assertDomain, dailyPayload, neutralClaims } from './claims'
import { DAILY_EXTRAS, dailyExtrasIssues, type DailyExtras } from './extras'
import { asDailyRole, DAILY_ROLES, dailyRoleOf, type DailyRole } from './roles'
import { roomNameRule, userIdRule } from './rules'
import { dailyWebhook } from './webhook'

export interface DailyOptions {
  /** The domain's API key (Developers page of the Daily dashboard): 64 hex digits. Server side only. */
  apiKey: string
  /** The domain id, a UUID (`domain_id` from `GET /v1/`), written to every token as `d`. */
  domainId: string
  /** The domain's name, `acme` in https://acme.daily.co: when set, `connect.roomUrl` is the room's URL. */
  domainName?: string
  /**
   * Policy role → 'owner' | 'participant'. Roles not listed: 'owner' (`o: true`) when they may end the call, else
   * 'participant'. `member` also sets the role of user tokens.
   */
  roleMap?: Readonly<Record<string, DailyRole>>
}

/** What daily-js's `callObject.join({ url, token })` needs. Never a secret. */
export interface DailyConnect {
  /** The room (`r`). */
  readonly roomName: string
  /** The user id in the token (the userId). */
  readonly userId: string
  /** https://<domainName>.daily.co/<roomName>, when the adapter has a domainName. */
  readonly roomUrl?: string
}

/** The types of Daily tokens: every token is for one room; no call types. */
export interface DailyTypes {
  readonly connect: { readonly user: DailyConnect; readonly userInCall: DailyConnect; readonly call: DailyConnect }
  readonly callType: false
  readonly extras: DailyExtras
}

export type DailyProvider = CallTokenProvider<'daily', DailyTypes>

const OPTIONS = { provider: 'daily', known: ['apiKey', 'domainId', 'domainName', 'roleMap'], required: ['apiKey', 'domainId'] } as const
const API_KEY = /^[0-9a-f]{64}$/i
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DOMAIN_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i

/**
 * Daily meeting tokens, self-signed (HS256 with the domain's API key, as Daily documents), with the room (`r`), the
 * domain (`d`), the user (`ud`), the owner flag (`o`), `iat`, `nbf` and `exp` always set.
 *
 * Every token is for one room: `callId` is the room name, and a user token needs one too. Only roles that may end
 * the call are owners. Daily accepts a self-signed token only while the API key that signed it is active.
 *
 * @throws ERR_CALLTOKEN_INVALID_CONFIG when an option is unknown, the API key is not 64 hex digits, the domain id is
 * not a UUID, the domain name is not one, or a roleMap value is not 'owner' or 'participant'. Never shows a value.
 *
 * @example
 * const provider = daily({ apiKey: process.env.DAILY_API_KEY!, domainId: process.env.DAILY_DOMAIN_ID!, domainName: 'acme' })
 * const { token, connect } = await createCallToken({ userId: 'alice', callId: 'standup' }, { provider })
 * // browser: await Daily.createCallObject().join({ url: connect.roomUrl, token })
 */
export function daily(options: DailyOptions): DailyProvider {
  const record = readAdapterOptions(options, OPTIONS)
  const source = 'the Daily dashboard (Developers)'
  const apiKey = readCredential(record.apiKey, { provider: 'daily', name: 'apiKey', envName: 'DAILY_API_KEY', source })
  if (!API_KEY.test(apiKey)) throw configError('daily: apiKey must be the domain\'s API key: 64 hex digits, copied whole from the Daily dashboard')
  const domainId = typeof record.domainId === 'string' ? record.domainId.trim() : ''
  if (!UUID.test(domainId)) {
    throw configError('daily: domainId must be the domain id, a UUID such as 30f866c3-9123-452a-8723-ff58322d09c5 (domain_id from GET https://api.daily.co/v1/)')
  }
  const domainName = record.domainName === undefined ? undefined : readDomainName(record.domainName)
  const roleMap = readRoleMap('daily', record.roleMap, DAILY_ROLES)
  const memberRole = roleMap.get('member') ?? 'participant'
  const jwt = createHs256Jwt(apiKey, { typ: 'JWT' })

  const sign = (claims: TokenClaims) => {
    // Core refuses a user token without a call (userTokenNeedsCall), so there is always one here.
    const room = { ...claims, callId: claims.callId! }
    const role = claims.kind === 'call' ? asDailyRole(claims.providerRole) : memberRole
    const connect: Record<string, string> = { roomName: room.callId, userId: claims.userId }
    if (domainName !== undefined) connect.roomUrl = `https://${domainName}.daily.co/${room.callId}`
    return andThen(jwt.sign(dailyPayload(room, domainId, role)), (token) => ({ token, connect: connect as unknown as DailyConnect }))
  }

  return defineProvider<'daily', DailyTypes>({
    id: 'daily',
    limits: { userId: userIdRule, callId: roomNameRule, userTokenNeedsCall: true, extras: DAILY_EXTRAS },
    secrets: [apiKey],
    validateInput: (request) => dailyExtrasIssues(request.extras),
    mapRole: (role, capabilities) => dailyRoleOf(roleMap, role, capabilities),
    sign,
    decode: (token) => neutralClaims(decodeJwt(token)),
    verifySignature: (token) =>
      andThen(jwt.verify(token), (parts) => {
        const decoded = neutralClaims(parts)
        assertDomain(parts, domainId)
        return decoded
      }),
    webhook: dailyWebhook,
  })
}

function readDomainName(value: unknown): string {
  const text = typeof value === 'string' ? value.trim().replace(/\.daily\.co$/i, '').replace(/^https?:\/\//i, '') : ''
  if (!DOMAIN_NAME.test(text)) throw configError("daily: domainName must be the domain's name, e.g. acme for https://acme.daily.co")
  return text.toLowerCase()
}
