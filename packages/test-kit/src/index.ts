/**
 * The conformance suite every calltoken adapter runs, ours and third parties' alike: `runProviderConformance`, with
 * an `oracle` that reads tokens with the provider's official SDK. Plus the helpers it uses: a fixed clock and
 * assertions for coded errors that never leak a secret. The suite for framework bindings is `@calltoken/test-kit/http`.
 *
 * @packageDocumentation
 */
export { FIXED_NOW_MS, FIXED_NOW_S, fixedClock } from './clock'
export { runProviderConformance, type ConformanceOptions, type OracleReading } from './conformance'
export { errorText, expectCallTokenError, expectNoSecret } from './expect-error'
export { synchronous } from './synchronous'
