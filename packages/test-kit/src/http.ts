/**
 * The HTTP contract every binding of the token routes passes (Express, Fastify, or one of your own): one suite of
 * requests and expected answers, run through a client the binding provides; and the contract of its webhook routes.
 *
 * @packageDocumentation
 */
export {
  runHttpContract,
  type ContractClient,
  type ContractRequest,
  type ContractRequestWithHeaders,
  type ContractResponse,
  type ContractRoute,
  type HttpContractOptions,
  type MakeContractClient,
  type MakeRouteContractClient,
} from './http-contract'
export { runWebhookContract, type MakeWebhookContractClient, type WebhookContractOptions } from './webhook-contract'
