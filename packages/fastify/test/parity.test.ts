import { createCallTokenRouter } from '@calltoken/express'
import { callTokenRoutes } from '@calltoken/fastify'
import express from 'express'
import Fastify from 'fastify'
import { describe, it } from 'vitest'
import { contractProviders } from '../../express/test/support/contract-providers'
import { expectSameAnswer, expressAnswer, PARITY_CASES, parityOptions } from '../../express/test/support/parity'

// The same requests through both bindings: status, the headers that matter and the body bytes must be identical.
describe('express and fastify answer byte for byte alike', () => {
  for (const provider of contractProviders.providers) {
    it(provider.id, async () => {
      const options = parityOptions(provider)
      const expressApp = express().use('/api', createCallTokenRouter(options))
      const fastifyApp = Fastify()
      await fastifyApp.register(callTokenRoutes, { ...options, prefix: '/api' })

      for (const testCase of PARITY_CASES) {
        const [path, payload, headers] = testCase
        const viaFastify = await fastifyApp.inject({ method: 'POST', url: path, headers, ...(payload === '' ? {} : { payload }) })
        expectSameAnswer(provider, `${path} ${payload.slice(0, 40)}`, await expressAnswer(expressApp, testCase), {
          status: viaFastify.statusCode,
          body: viaFastify.body,
          header: (name) => viaFastify.headers[name] as string | undefined,
        })
      }
      await fastifyApp.close()
    })
  }
})
