export { FIXED_NOW_MS, FIXED_NOW_S, fixedClock } from './clock'
export { runProviderConformance, type ConformanceOptions } from './conformance'
export { errorText, expectCallTokenError, expectNoSecret } from './expect-error'
