import { callTokenRoutes } from '@calltoken/fastify'
import { runHttpContract } from '@calltoken/test-kit'
import Fastify from 'fastify'
import { contractProviders } from '../../test-kit/src/providers'

runHttpContract({
  framework: 'fastify',
  ...contractProviders,
  async makeClient(options, prefix) {
    const app = Fastify()
    app.setErrorHandler(async (_error, _request, reply) => reply.code(500).send({ handledBy: 'framework' }))
    await app.register(callTokenRoutes, { ...options, prefix })
    await app.ready()
    return {
      async post(path, { body, headers = {} } = {}) {
        const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
        const contentType = typeof body === 'object' ? { 'content-type': 'application/json' } : {}
        const response = await app.inject({ method: 'POST', url: path, headers: { ...contentType, ...headers }, ...(payload === undefined ? {} : { payload }) })
        const parsed = response.body === '' ? undefined : JSON.parse(response.body)
        return { status: response.statusCode, headers: response.headers as Record<string, string>, body: parsed }
      },
      close: () => app.close(),
    }
  },
})
