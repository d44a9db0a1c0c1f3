import { defineProvider, webhookOf, type CallTokenProvider } from '@calltoken/core/provider'
import { stream } from '@calltoken/stream'
import { DEMO } from '../../src/demo-credentials'

/** The demo Stream provider, for verifying the tokens the app hands out. */
export const demoStream = stream(DEMO.stream)

/** A Stream provider whose signing fails with the secret in the error text (which must reach no response or log). */
export function failingStream(): CallTokenProvider {
  const fail = (): never => {
    throw new Error(`signing refused for key ${DEMO.stream.apiSecret}`)
  }
  return defineProvider({
    id: 'stream',
    limits: demoStream.limits,
    secrets: [DEMO.stream.apiSecret],
    mapRole: (role, capabilities) => demoStream.mapRole(role, capabilities),
    sign: fail,
    decode: (token) => demoStream.decode(token),
    verifySignature: (token) => demoStream.verify(token),
    webhook: webhookOf(demoStream),
  })
}
