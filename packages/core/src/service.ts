import { CallTokenError, configError, validationError } from './errors'
import { inputSchemas, type CallTokenInput, type CallTokenRequest, type InputSchemas, type UserTokenInput } from './input'
import { toPolicy, type Policy, type PolicyOptions } from './policy'
import { assertProvider, type CallTokenProvider, type DecodedToken, type TokenClaims } from './provider'
import { effectiveRange, resolveValidity, type ValidityRange } from './validity'
import { zodIssues } from './zod-issues'

export interface TokenOptions<P extends CallTokenProvider = CallTokenProvider> {
  provider: P
  /** From definePolicy (validated once); plain options are validated on each use. */
  policy?: Policy | PolicyOptions
  /** The clock, in milliseconds. Default Date.now. */
  now?: () => number
}

type ConnectOf<P> = P extends CallTokenProvider<string, infer C> ? C : never
type IdOf<P> = P extends CallTokenProvider<infer Id, unknown> ? Id : never

export interface IssuedToken<P extends CallTokenProvider = CallTokenProvider> {
  readonly token: string
  readonly provider: IdOf<P>
  readonly userId: string
  readonly callId?: string
  readonly callType?: string
  /** The policy role; call tokens only. */
  readonly role?: string
  readonly validityInSeconds: number
  readonly issuedAt: Date
  /** Equals the token's own expiry claim. */
  readonly expiresAt: Date
  /** What the client SDK needs to connect with this token (never a secret). */
  readonly connect: ConnectOf<P>
}

export interface TokenService<P extends CallTokenProvider = CallTokenProvider> {
  readonly provider: P
  readonly policy: Policy
  createUserToken(input: UserTokenInput): Promise<IssuedToken<P>>
  createCallToken(input: CallTokenInput): Promise<IssuedToken<P>>
  /** Checks a token's signature and expiry against this service's clock. */
  verifyToken(token: string): DecodedToken
  /** Validates an input as the mint would (ERR_CALLTOKEN_INVALID_INPUT), without minting. */
  validate(kind: 'user' | 'call', input: unknown): CallTokenRequest
}

/** A provider and a policy checked against each other once; minting only does per-request work. */
interface Minter {
  readonly policy: Policy
  validate(kind: 'user' | 'call', input: unknown): CallTokenRequest
  mint(kind: 'user' | 'call', input: unknown, nowMs: number): Promise<IssuedToken>
}

function createMinter(provider: CallTokenProvider, policy: Policy): Minter {
  const range: ValidityRange = effectiveRange(policy, provider.id, provider.limits)
  const providerRoles = new Map<string, string>()
  for (const role of policy.roles) {
    const mapped = provider.mapRole(role, policy.capabilitiesOf(role))
    if (mapped === undefined) throw configError(`Role "${role}" has no ${provider.id} role: add it to the adapter's roleMap`)
    providerRoles.set(role, mapped)
  }
  const schemas: InputSchemas = schemasFor(provider)
  // Backdated by the skew, but never so far that exp − iat passes the provider's maximum (Twilio rejects
  // a 24 h token whose iat is 5 s early; Agora's relative expiry must stay within 24 h).
  const issuedAtFor = (nowSeconds: number, validity: number) =>
    nowSeconds - Math.min(policy.clockSkewSeconds, provider.limits.maxValiditySeconds - validity)

  const validate = (kind: 'user' | 'call', input: unknown) => parseRequest(kind, input, schemas, provider)
  return {
    policy,
    validate,
    async mint(kind, input, nowMs) {
      const request = validate(kind, input)
      let role: string | undefined
      if (kind === 'call') {
        role = request.role ?? policy.defaultRole
        if (!providerRoles.has(role)) {
          const message = `role "${role}" is not allowed; allowed roles: ${policy.roles.join(', ')}`
          throw new CallTokenError('ERR_CALLTOKEN_ROLE_NOT_ALLOWED', message, { issues: [{ path: 'role', message }] })
        }
      }
      const validityInSeconds = resolveValidity(request.validityInSeconds, range, provider.id)
      if (!Number.isFinite(nowMs)) throw configError('options.now() must return milliseconds as a finite number')
      const nowSeconds = Math.floor(nowMs / 1000)
      const callType = request.callId !== undefined && provider.limits.callType ? (request.callType ?? 'default') : undefined

      const claims: TokenClaims = {
        kind,
        userId: request.userId,
        callId: request.callId,
        callType,
        role,
        providerRole: role === undefined ? undefined : providerRoles.get(role),
        issuedAt: issuedAtFor(nowSeconds, validityInSeconds),
        expiresAt: nowSeconds + validityInSeconds,
        validityInSeconds,
      }
      const signed = kind === 'call' ? await provider.signCall(claims) : await provider.signUser(claims)
      return {
        token: signed.token,
        provider: provider.id,
        userId: claims.userId,
        ...(claims.callId === undefined ? {} : { callId: claims.callId }),
        ...(callType === undefined ? {} : { callType }),
        ...(role === undefined ? {} : { role }),
        validityInSeconds,
        issuedAt: new Date(nowSeconds * 1000),
        expiresAt: new Date(claims.expiresAt * 1000),
        connect: signed.connect,
      }
    },
  }
}

function parseRequest(kind: 'user' | 'call', input: unknown, schemas: InputSchemas, provider: CallTokenProvider): CallTokenRequest {
  const parsed = schemas[kind].safeParse(input)
  if (!parsed.success) throw validationError(zodIssues(parsed.error))
  const request: CallTokenRequest = { kind, ...parsed.data }
  if (request.callType !== undefined && request.callId === undefined) {
    throw validationError([{ path: 'callType', message: 'callType needs a callId' }])
  }
  const issues = provider.validateInput(request)
  if (issues.length > 0) throw validationError(issues)
  return request
}

// Compiled once per provider and per policy, so the one-shot functions cost what a service costs.
const schemaCache = new WeakMap<CallTokenProvider, InputSchemas>()
const minterCache = new WeakMap<CallTokenProvider, WeakMap<object, Minter>>()

function schemasFor(provider: CallTokenProvider): InputSchemas {
  let schemas = schemaCache.get(provider)
  if (!schemas) schemaCache.set(provider, (schemas = inputSchemas(provider.id, provider.limits)))
  return schemas
}

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

/** A token service with the provider, policy and clock bound; checks them against each other now. */
export function createTokenService<P extends CallTokenProvider>(options: TokenOptions<P>): TokenService<P> {
  const minter = minterOf(options, 'createTokenService')
  const { provider, now = Date.now } = options
  return Object.freeze({
    provider,
    policy: minter.policy,
    createUserToken: (input: UserTokenInput) => minter.mint('user', input, now()) as Promise<IssuedToken<P>>,
    createCallToken: (input: CallTokenInput) => minter.mint('call', input, now()) as Promise<IssuedToken<P>>,
    verifyToken: (token: string) => provider.verify(token, { now }),
    validate: minter.validate,
  })
}

/** A user token, optionally restricted to one call. */
export function createUserToken<P extends CallTokenProvider>(input: UserTokenInput, options: TokenOptions<P>): Promise<IssuedToken<P>> {
  return mintOnce('user', input, options) as Promise<IssuedToken<P>>
}

/** A call token: a token for one call with a role. */
export function createCallToken<P extends CallTokenProvider>(input: CallTokenInput, options: TokenOptions<P>): Promise<IssuedToken<P>> {
  return mintOnce('call', input, options) as Promise<IssuedToken<P>>
}

/** Misconfiguration rejects like every other failure, instead of throwing from a function that returns a promise. */
function mintOnce(kind: 'user' | 'call', input: unknown, options: TokenOptions | undefined): Promise<IssuedToken> {
  try {
    return minterOf(options, kind === 'user' ? 'createUserToken' : 'createCallToken').mint(kind, input, (options!.now ?? Date.now)())
  } catch (error) {
    return Promise.reject(error)
  }
}
