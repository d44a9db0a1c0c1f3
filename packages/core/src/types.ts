// The types shared by the mint, the provider interface and the HTTP handler, in one place (no module imports another's
// types in a circle). Runtime code lives elsewhere; this file only names shapes.
import type { CallTokenIssue } from './errors'
import type { Capability, Policy, PolicyOptions } from './policy'
import type { WebhookDefinition } from './webhook/types'

/** A user token (optionally restricted to one call) or a call token (one call, with a role). */
export type TokenKind = 'user' | 'call'

/**
 * Provider-specific token options (LiveKit `name`, Zoom `sessionKey`, Daily `userName`…): typed by each adapter,
 * validated by it. `Record<string, unknown>` when the provider is not known.
 */
export type TokenExtras = Readonly<Record<string, unknown>>

/** A user token: a token for a user, optionally restricted to one call. */
export interface UserTokenInput<Extras = TokenExtras> {
  userId: string
  validityInSeconds?: number
  callId?: string
  callType?: string
  /** The adapter's token options (see its README); set by the server, never by a client unless the routes allow it. */
  extras?: Extras
}

interface CallTokenFields<Extras> {
  userId: string
  callType?: string
  role?: string
  validityInSeconds?: number
  /** The adapter's token options (see its README); set by the server, never by a client unless the routes allow it. */
  extras?: Extras
}

/**
 * A call token: a token for one call (`callId`) with a role, or, where the provider allows it (Stream), for several
 * calls of one call type (`callIds`, in the order given).
 */
export type CallTokenInput<Extras = TokenExtras> = CallTokenFields<Extras> &
  ({ callId: string; callIds?: undefined } | { callIds: readonly string[]; callId?: undefined })

/** Either input after validation, as adapters' `validateInput` sees it. */
export interface CallTokenRequest {
  readonly kind: TokenKind
  readonly userId: string
  readonly callId?: string
  /** A call token for several calls: every id, in the order given (then `callId` is undefined). */
  readonly callIds?: readonly string[]
  readonly callType?: string
  readonly role?: string
  readonly validityInSeconds?: number
  /** Only the names the adapter declares (`limits.extras`), fields given as undefined left out; the values are the adapter's to check. */
  readonly extras?: TokenExtras
}

/** What a provider accepts for one identifier (user id, call id, call type). */
export interface IdentifierRule {
  /** Every character must match this pattern (test it against the whole value). */
  readonly pattern?: RegExp
  /** Human wording of `pattern` for the error message, e.g. "letters, digits, @, _ and -". */
  readonly allowed?: string
  readonly maxLength?: number
  /** UTF-8 byte limit. */
  readonly maxBytes?: number
  /** A last check of the provider's own: a message when the value is not accepted. */
  readonly check?: (value: string) => string | undefined
}

export interface ProviderLimits {
  readonly minValiditySeconds: number
  readonly maxValiditySeconds: number
  readonly userId: IdentifierRule
  readonly callId: IdentifierRule
  /** Rules for call types, or false when the provider has none (then callType is rejected). */
  readonly callType: IdentifierRule | false
  /**
   * Whether a user token must name a call: true when every token of the provider is for one call (Zoom's `tpc`,
   * Daily's `r`). Core then refuses a user token without a callId (INVALID_INPUT, path `callId`). Default false.
   */
  readonly userTokenNeedsCall: boolean
  /** How many calls one call token may name (`callIds`); 1 (the default) refuses `callIds`. */
  readonly maxCallsPerToken: number
  /** The names of the adapter's `extras`; none (the default) refuses `extras`. */
  readonly extras: readonly string[]
}

interface ClaimTimes {
  readonly userId: string
  /** Issue time, backdated by the policy's clock skew (less when that would push expiresAt − issuedAt past the provider's maximum). */
  readonly issuedAt: number
  /** Expiry: the real issue time + validityInSeconds. */
  readonly expiresAt: number
  readonly validityInSeconds: number
  /** The validated extras, when the input had any. */
  readonly extras?: TokenExtras
}

/** The claims of a user token; `callId` is set when the token is restricted to one call. */
export interface UserTokenClaims extends ClaimTimes {
  readonly kind: 'user'
  readonly callId?: string
  /** Set with `callId` when the provider has call types ('default' unless the input named one). */
  readonly callType?: string
  readonly role?: undefined
  readonly providerRole?: undefined
}

/** The claims of a call token. */
export interface CallTokenClaims extends ClaimTimes {
  readonly kind: 'call'
  /** The call; for a token for several calls, the first of `callIds`. */
  readonly callId: string
  /** Set when the input named several calls (`callIds`): every id, in the order given. */
  readonly callIds?: readonly string[]
  /** Set when the provider has call types ('default' unless the input named one). */
  readonly callType?: string
  /** The policy role. */
  readonly role: string
  /** The role in the provider's own vocabulary, from the adapter's `mapRole`. */
  readonly providerRole: string
}

/** What core hands an adapter's `sign`: validated and normalised, every time in integer seconds. */
export type TokenClaims = UserTokenClaims | CallTokenClaims

/** A token read back into provider-neutral claims. */
export interface DecodedToken {
  readonly provider: string
  readonly userId: string
  readonly callId?: string
  /** Set when the token is for several calls: every id, in the token's order (`callId` is the first). */
  readonly callIds?: readonly string[]
  readonly callType?: string
  readonly providerRole?: string
  /** Seconds since the epoch. */
  readonly issuedAt: number
  readonly expiresAt: number
  /** The provider's own claims, as found in the token. */
  readonly claims: Readonly<Record<string, unknown>>
}

export interface SignedToken<Connect = unknown> {
  readonly token: string
  /** What the client SDK needs to connect with this token (never a secret). */
  readonly connect: Connect
}

/**
 * What an adapter's tokens look like to TypeScript: the `connect` of each kind of token, and whether tokens for a
 * call carry a call type. The results of `createUserToken` and `createCallToken` follow it.
 *
 * @example
 * type AcmeTypes = {
 *   connect: { user: { apiKey: string }; userInCall: { apiKey: string; room: string }; call: { apiKey: string; room: string } }
 *   callType: false
 * }
 */
export interface ProviderTypes {
  readonly connect: {
    /** A user token without a call. */
    readonly user: unknown
    /** A user token restricted to one call. */
    readonly userInCall: unknown
    /** A call token. */
    readonly call: unknown
  }
  /** true when tokens for a call carry a call type (Stream's "default", "livestream"…), false when the provider has none. */
  readonly callType: boolean
  /** The adapter's `extras` (its token options); leave it out when it has none. */
  readonly extras?: object
}

/** Any `connect` of a provider's tokens. */
export type AnyConnect<Types extends ProviderTypes> = Types['connect'][keyof ProviderTypes['connect']]

/** A value, or a promise of it: what an adapter's `sign` may return. */
export type MaybePromise<T> = T | Promise<T>

/** What an adapter implements; `defineProvider` turns it into a provider core can use. */
export interface ProviderDefinition<Id extends string, Types extends ProviderTypes> {
  readonly id: Id
  readonly limits: Partial<ProviderLimits> & Pick<ProviderLimits, 'userId' | 'callId'>
  /** Credentials to scrub from any error text that passes through core. */
  readonly secrets: readonly string[]
  /** Cross-field rules beyond the identifier rules, merged into core's validation. */
  validateInput?(input: CallTokenRequest): readonly CallTokenIssue[]
  /** The provider's name for a policy role, or undefined when it has none. */
  mapRole(role: string, capabilities: ReadonlySet<Capability>): string | undefined
  /** One token for the claims; `claims.kind` says which kind. A throw becomes PROVIDER_FAILED with secrets scrubbed. */
  sign(claims: TokenClaims): MaybePromise<SignedToken<AnyConnect<Types>>>
  /** Parses a token without checking it; throws ERR_CALLTOKEN_INVALID_TOKEN when it is not one of this provider's. */
  decode(token: string): DecodedToken
  /** Parses a token and checks its signature (not its expiry, which core checks); may return a promise (Web Crypto). */
  verifySignature(token: string): MaybePromise<DecodedToken>
  /** How the provider's webhook deliveries are signed, for `verifyWebhook`; leave it out when there are none. */
  readonly webhook?: WebhookDefinition
}

export interface VerifyOptions {
  /** Clock in milliseconds. Default Date.now. */
  now?: () => number
}

/** A provider made by an adapter (`stream(…)`, `agora(…)`, `twilio(…)`), ready for `createUserToken` and the routes. */
export interface CallTokenProvider<Id extends string = string, Types extends ProviderTypes = ProviderTypes> {
  readonly id: Id
  readonly limits: ProviderLimits
  validateInput(input: CallTokenRequest): readonly CallTokenIssue[]
  mapRole(role: string, capabilities: ReadonlySet<Capability>): string | undefined
  /** The token for the claims (core calls it; apps use createUserToken / createCallToken, which type `connect`). */
  sign(claims: TokenClaims): Promise<SignedToken>
  decode(token: string): DecodedToken
  /** Signature and expiry: rejects with ERR_CALLTOKEN_INVALID_TOKEN or ERR_CALLTOKEN_TOKEN_EXPIRED when either fails. */
  verify(token: string, options?: VerifyOptions): Promise<DecodedToken>
  /** Replaces every credential of this provider in `text` with [redacted]. */
  redact(text: string): string
  /** Type only, never set: what this provider's tokens look like (see ProviderTypes). */
  readonly '~types'?: Types
}

type IdOf<P> = P extends CallTokenProvider<infer Id, ProviderTypes> ? Id : string
type TypesOf<P> = P extends CallTokenProvider<string, infer Types> ? Types : ProviderTypes
type ConnectOf<P, Kind extends keyof ProviderTypes['connect']> = TypesOf<P>['connect'][Kind]

/**
 * The `extras` a provider takes: its adapter's type, `never` (so none can be passed) when it has none, and any
 * fields when the provider is not known.
 */
export type ExtrasOf<P> = CallTokenProvider extends P ? TokenExtras : TypesOf<P> extends { readonly extras: infer E } ? (E extends object ? E : never) : never

/** `callType` on a token for a call: always there when the provider has call types, never when it has none. */
type CallTypeField<P> = TypesOf<P>['callType'] extends true
  ? { readonly callType: string }
  : TypesOf<P>['callType'] extends false
    ? { readonly callType?: undefined }
    : { readonly callType?: string }

interface IssuedFields<P> {
  readonly token: string
  readonly provider: IdOf<P>
  readonly userId: string
  readonly validityInSeconds: number
  readonly issuedAt: Date
  /** Equals the token's own expiry claim. */
  readonly expiresAt: Date
  /** The extras the token was minted with, when it had any. */
  readonly extras?: TokenExtras
}

/**
 * A call token as `createCallToken` returns it: call, role and (where the provider has them) call type are always set.
 * `connect` is what the client SDK needs to join that call (never a secret).
 */
export type IssuedCallToken<P extends CallTokenProvider = CallTokenProvider> = IssuedFields<P> &
  CallTypeField<P> & {
    readonly kind: 'call'
    /** The call; for a token for several calls (`callIds`), the first of them. */
    readonly callId: string
    /** Set when the token is for several calls: every id, in the order given. */
    readonly callIds?: readonly string[]
    /** The policy role the token was minted with. */
    readonly role: string
    readonly connect: ConnectOf<P, 'call'>
  }

/**
 * A user token as `createUserToken` returns it. `InCall` true: restricted to one call (`callId` set, `connect` for
 * that call); false: not restricted; `boolean` (the default): either, told apart by `callId`.
 */
export type IssuedUserToken<P extends CallTokenProvider = CallTokenProvider, InCall extends boolean = boolean> = InCall extends true
  ? IssuedFields<P> &
      CallTypeField<P> & { readonly kind: 'user'; readonly callId: string; readonly callIds?: undefined; readonly role?: undefined; readonly connect: ConnectOf<P, 'userInCall'> }
  : IssuedFields<P> & {
      readonly kind: 'user'
      readonly callId?: undefined
      readonly callIds?: undefined
      readonly callType?: undefined
      readonly role?: undefined
      readonly connect: ConnectOf<P, 'user'>
    }

/** Any token the mint returns; `kind` (and, for user tokens, `callId`) tells which. */
export type IssuedToken<P extends CallTokenProvider = CallTokenProvider> = IssuedUserToken<P> | IssuedCallToken<P>

export interface TokenOptions<P extends CallTokenProvider = CallTokenProvider> {
  /** The adapter, e.g. `stream({ apiKey, apiSecret })`. */
  provider: P
  /** From definePolicy (validated once); plain options are validated on each use. Default: `definePolicy()`. */
  policy?: Policy | PolicyOptions
  /** The clock, in milliseconds. Default Date.now. */
  now?: () => number
}

export interface TokenService<P extends CallTokenProvider = CallTokenProvider> {
  readonly provider: P
  readonly policy: Policy
  /** A user token for a call: `connect` is for joining that call. */
  createUserToken(input: UserTokenInput<ExtrasOf<P>> & { callId: string }): Promise<IssuedUserToken<P, true>>
  /** A user token for no call in particular. */
  createUserToken(input: UserTokenInput<ExtrasOf<P>> & { callId?: undefined }): Promise<IssuedUserToken<P, false>>
  createUserToken(input: UserTokenInput<ExtrasOf<P>>): Promise<IssuedUserToken<P>>
  createCallToken(input: CallTokenInput<ExtrasOf<P>>): Promise<IssuedCallToken<P>>
  /** Checks a token's signature and expiry against this service's clock (rejects with INVALID_TOKEN or TOKEN_EXPIRED). */
  verifyToken(token: string): Promise<DecodedToken>
  /** Validates an input as the mint would (ERR_CALLTOKEN_INVALID_INPUT), without minting. */
  validate(kind: TokenKind, input: unknown): CallTokenRequest
}
