import type { CallTokenProvider } from '@calltoken/core'

/**
 * Tells TypeScript which provider the app uses, so `fastify.callToken`'s results and a `tokenRoute`'s `respond` carry
 * that adapter's types (`connect.callCid` for Stream, `connect.channelName` for Agora…). Declare it once in the app:
 *
 * @example
 * declare module '@calltoken/fastify' {
 *   interface CallTokenRegister {
 *     provider: StreamProvider
 *   }
 * }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the app's declaration
export interface CallTokenRegister {}

/** The provider the app registered in `CallTokenRegister`, or any provider when it registered none. */
export type RegisteredProvider = CallTokenRegister extends { provider: infer P extends CallTokenProvider } ? P : CallTokenProvider
