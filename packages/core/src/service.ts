import { configError, roleNotAllowed, validationError } from './errors'
import { readInput } from './input'
import { utf8Length } from './utf8-length'
import { toPolicy, type Policy, type PolicyOptions } from './policy'
import { assertProvider } from './define-provider'
import type {
  CallTokenInput,
  CallTokenProvider,
  CallTokenRequest,
  ExtrasOf,
  IssuedCallToken,
  IssuedToken,
  IssuedUserToken,
  TokenClaims,
  TokenKind,
  TokenOptions,
  TokenService,
  UserTokenInput,
} from './types'
import { effectiveRange, resolveValidity, type ValidityRange } from './validity'

/** A provider and a policy checked against each other once; minting only does per-request work. */
interface Minter {
  readonly policy: Policy
  validate(kind: TokenKind, input: unknown): CallTokenRequest
  mint(kind: TokenKind, input: unknown, nowMs: number): Promise<IssuedToken>
}

function createMinter(provider: CallTokenProvider, policy: Policy): Minter {
  const range: ValidityRange = effectiveRange(policy, provider.id, provider.limits)
  const providerRoles = new Map<string, string>()
  for (const role of policy.roles) {
    const mapped = provider.mapRole(role, policy.capabilitiesOf(role))
    if (mapped === undefined) throw configError(`Role "${role}" has no ${provider.id} role: add it to the adapter's roleMap`)
    providerRoles.set(role, mapped)
  }
  // Backdated by the skew, but never so far that exp − iat passes the provider's maximum (Twilio rejects
  // a 24 h token whose iat is 5 s early; Agora's relative expiry must stay within 24 h).
  const issuedAtFor = (nowSeconds: number, validity: number) =>
    nowSeconds - Math.min(policy.clockSkewSeconds, provider.limits.maxValiditySeconds - validity)

  const validate = (kind: TokenKind, input: unknown) => parseRequest(kind, input, provider)
  return {
    policy,
    validate,
    async mint(kind, input, nowMs) {
      const request = validate(kind, input)
      const role = kind === 'call' ? (request.role ?? policy.defaultRole) : undefined
      const providerRole = role === undefined ? undefined : providerRoles.get(role)
      if (role !== undefined && providerRole === undefined) throw roleNotAllowed(role, `is not allowed; allowed roles: ${policy.roles.join(', ')}`)
      const validityInSeconds = resolveValidity(request.validityInSeconds, range, provider.id)
      if (!Number.isFinite(nowMs)) throw configError('options.now() must return milliseconds as a finite number')
      const nowSeconds = Math.floor(nowMs / 1000)
      const { userId, callIds, extras } = request
      // A token for several calls names the first as its call.
      const callId = request.callId ?? callIds?.[0]
      const callType = callId !== undefined && provider.limits.callType ? (request.callType ?? 'default') : undefined
      const issuedAt = issuedAtFor(nowSeconds, validityInSeconds)
      const expiresAt = nowSeconds + validityInSeconds
      // A call token always has a call (its input requires one) and a mapped role (checked above).
      const claims: TokenClaims =
        role === undefined
          ? { kind: 'user', userId, callId, callType, issuedAt, expiresAt, validityInSeconds, extras }
          : { kind: 'call', userId, callId: callId!, callIds, callType, role, providerRole: providerRole!, issuedAt, expiresAt, validityInSeconds, extras }
      const signed = await provider.sign(claims)
      // Assigned rather than spread: this object is built on every mint, and absent fields stay absent.
      const issued: Record<string, unknown> = { kind, token: signed.token, provider: provider.id, userId }
      if (callId !== undefined) issued.callId = callId
      if (callIds !== undefined) issued.callIds = callIds
      if (callType !== undefined) issued.callType = callType
      if (role !== undefined) issued.role = role
      issued.validityInSeconds = validityInSeconds
      issued.issuedAt = new Date(nowSeconds * 1000)
      issued.expiresAt = new Date(expiresAt * 1000)
      if (extras !== undefined) issued.extras = extras
      issued.connect = signed.connect
      return issued as unknown as IssuedToken
    },
  }
}

function parseRequest(kind: TokenKind, input: unknown, provider: CallTokenProvider): CallTokenRequest {
  const request = readInput(kind, input, provider.id, provider.limits)
  if (Array.isArray(request)) throw validationError(request)
  if (request.callId === undefined && request.callIds === undefined) {
    if (request.callType !== undefined) throw validationError([{ path: 'callType', message: 'callType needs a callId' }])
    if (provider.limits.userTokenNeedsCall) {
      throw validationError([{ path: 'callId', message: `callId is required: every ${provider.id} token is for one call` }])
    }
  }
  if (request.extras !== undefined) {
    const problem = extrasSizeProblem(request.extras)
    if (problem !== undefined) throw validationError([{ path: 'extras', message: problem }])
  }
  const issues = provider.validateInput(request)
  if (issues.length > 0) throw validationError(issues)
  return request
}

/** Extras travel in the token (and its refresh token): JSON data of a size a URL or a header carries. */
export const EXTRAS_MAX_BYTES = 4096

function extrasSizeProblem(extras: object): string | undefined {
  let json: string
  try {
    json = JSON.stringify(extras)
  } catch {
    return 'extras must be JSON data (no cycles, no BigInt)'
  }
  return utf8Length(json) > EXTRAS_MAX_BYTES ? `extras must be at most ${EXTRAS_MAX_BYTES} bytes as JSON` : undefined
}

// Built once per provider and per policy, so the one-shot functions cost what a service costs.
const minterCache = new WeakMap<CallTokenProvider, WeakMap<object, Minter>>()

function minterFor(provider: CallTokenProvider, policyOption: Policy | PolicyOptions | undefined): Minter {
  assertProvider(provider)
  const policy = toPolicy(policyOption)
  let byPolicy = minterCache.get(provider)
  if (!byPolicy) minterCache.set(provider, (byPolicy = new WeakMap()))
  let minter = byPolicy.get(policy)
  if (!minter) byPolicy.set(policy, (minter = createMinter(provider, policy)))
  return minter
}

/** The options' minter, or an INVALID_CONFIG naming what is missing. */
function minterOf(options: TokenOptions | undefined, caller: string): Minter {
  if (typeof options !== 'object' || options === null) {
    throw configError(`${caller} needs options with a provider, e.g. ${caller}(${caller === 'createTokenService' ? '' : 'input, '}{ provider: stream({ apiKey, apiSecret }) })`)
  }
  if (options.provider === undefined) throw configError('options.provider is missing: pass an adapter, e.g. stream({ apiKey, apiSecret })')
  return minterFor(options.provider, options.policy)
}

/**
 * A token service with the provider, policy and clock bound; checks them against each other now, so a role the
 * adapter cannot map or a validity range the provider cannot serve fails at start-up.
 *
 * @throws ERR_CALLTOKEN_INVALID_CONFIG when the options are missing, the provider is not an adapter's or the policy does not fit it.
 * @example
 * const tokens = createTokenService({ provider: stream({ apiKey, apiSecret }), policy: definePolicy({ defaultRole: 'member' }) })
 * const issued = await tokens.createCallToken({ userId: 'alice', callId: 'standup' })
 */
export function createTokenService<P extends CallTokenProvider>(options: TokenOptions<P>): TokenService<P> {
  const minter = minterOf(options, 'createTokenService')
  const { provider, now = Date.now } = options
  return Object.freeze({
    provider,
    policy: minter.policy,
    createUserToken: (input: UserTokenInput<ExtrasOf<P>>) => minter.mint('user', input, now()),
    createCallToken: (input: CallTokenInput<ExtrasOf<P>>) => minter.mint('call', input, now()),
    verifyToken: (token: string) => provider.verify(token, { now }),
    validate: minter.validate,
  }) as TokenService<P>
}

/**
 * A user token: a token for a user, optionally restricted to one call (then `connect` is for that call).
 * Every failure rejects with a CallTokenError (INVALID_INPUT and VALIDITY_OUT_OF_RANGE 422, INVALID_CONFIG 500…).
 *
 * @example
 * const issued = await createUserToken({ userId: 'alice' }, { provider: stream({ apiKey, apiSecret }) })
 * issued.token      // the JWT for new StreamVideoClient({ apiKey, user: { id: 'alice' }, token })
 * issued.expiresAt  // a Date, one hour from now by default
 */
export function createUserToken<P extends CallTokenProvider>(input: UserTokenInput<ExtrasOf<P>> & { callId: string }, options: TokenOptions<P>): Promise<IssuedUserToken<P, true>>
export function createUserToken<P extends CallTokenProvider>(input: UserTokenInput<ExtrasOf<P>> & { callId?: undefined }, options: TokenOptions<P>): Promise<IssuedUserToken<P, false>>
export function createUserToken<P extends CallTokenProvider>(input: UserTokenInput<ExtrasOf<P>>, options: TokenOptions<P>): Promise<IssuedUserToken<P>>
export function createUserToken<P extends CallTokenProvider>(input: UserTokenInput<ExtrasOf<P>>, options: TokenOptions<P>): Promise<IssuedUserToken<P>> {
  return mintOnce('user', input, options) as Promise<IssuedUserToken<P>>
}

/**
 * A call token: a token for one call with a role (the policy's default role, `member`, unless the input names one).
 * Every failure rejects with a CallTokenError (ROLE_NOT_ALLOWED 403, INVALID_INPUT 422, INVALID_CONFIG 500…).
 *
 * @example
 * const issued = await createCallToken({ userId: 'alice', callId: 'standup', role: 'moderator' }, { provider })
 * issued.role     // 'moderator'
 * issued.connect  // what the client SDK needs to join 'standup'
 */
export function createCallToken<P extends CallTokenProvider>(input: CallTokenInput<ExtrasOf<P>>, options: TokenOptions<P>): Promise<IssuedCallToken<P>> {
  return mintOnce('call', input, options) as Promise<IssuedCallToken<P>>
}

/** Misconfiguration rejects like every other failure, instead of throwing from a function that returns a promise. */
function mintOnce(kind: TokenKind, input: unknown, options: TokenOptions | undefined): Promise<IssuedToken> {
  try {
    return minterOf(options, kind === 'user' ? 'createUserToken' : 'createCallToken').mint(kind, input, (options!.now ?? Date.now)())
  } catch (error) {
    return Promise.reject(error)
  }
}
