import { createCallTokenRouter } from '@calltoken/express'
import { createFetchHandler } from '@calltoken/fetch'
import express from 'express'
import { describe, it } from 'vitest'
import { contractProviders } from '../../express/test/support/contract-providers'
import { expectSameAnswer, expressAnswer, PARITY_CASES, parityOptions } from '../../express/test/support/parity'

// The requests of Fastify's parity test through Express and the fetch handler: status, the headers that matter and
// the body bytes must be identical.
describe('express and the fetch handler answer byte for byte alike', () => {
  for (const provider of contractProviders.providers) {
    it(provider.id, async () => {
      const options = parityOptions(provider)
      const expressApp = express().use('/api', createCallTokenRouter(options))
      const handler = createFetchHandler({ ...options, prefix: '/api' })

      for (const testCase of PARITY_CASES) {
        const [path, payload, headers] = testCase
        // As a client sends it: a body with its Content-Length (so the 413 is refused unread).
        const length = { 'content-length': String(new TextEncoder().encode(payload).byteLength) }
        const init = payload === '' ? { method: 'POST', headers } : { method: 'POST', headers: { ...headers, ...length }, body: payload }
        const viaFetch = await handler(new Request(`http://localhost${path}`, init))
        expectSameAnswer(provider, `${path} ${payload.slice(0, 40)}`, await expressAnswer(expressApp, testCase), {
          status: viaFetch.status,
          body: await viaFetch.text(),
          header: (name) => viaFetch.headers.get(name) ?? undefined,
        })
      }
    })
  }

  it('also without a Content-Length (a streamed body): the same 413', async () => {
    const provider = contractProviders.providers[0]!
    const options = parityOptions(provider)
    const testCase = PARITY_CASES.find(([, payload]) => payload.length > 16 * 1024)!
    const [path, payload, headers] = testCase
    const body = new Blob([payload]).stream()
    const viaFetch = await createFetchHandler({ ...options, prefix: '/api' })(new Request(`http://localhost${path}`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit))
    expectSameAnswer(provider, 'streamed 413', await expressAnswer(express().use('/api', createCallTokenRouter(options)), testCase), {
      status: viaFetch.status,
      body: await viaFetch.text(),
      header: (name) => viaFetch.headers.get(name) ?? undefined,
    })
  })
})
