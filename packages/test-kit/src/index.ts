export { FIXED_NOW_MS, FIXED_NOW_S, fixedClock } from './clock'
export { runProviderConformance, type ConformanceOptions } from './conformance'
export { errorText, expectCallTokenError, expectNoSecret } from './expect-error'
export {
  runHttpContract,
  type ContractClient,
  type ContractRequest,
  type ContractResponse,
  type ContractRoute,
  type HttpContractOptions,
  type MakeContractClient,
  type MakeRouteContractClient,
} from './http-contract'
