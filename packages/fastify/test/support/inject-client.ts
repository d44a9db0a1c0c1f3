import type { ContractClient } from '@calltoken/test-kit/http'
import Fastify, { type FastifyInstance } from 'fastify'

/** An app with the contract's framework-level error handler, set before the routes as Fastify requires. */
export async function injectClient(register: (app: FastifyInstance) => PromiseLike<unknown>): Promise<ContractClient> {
  const app = Fastify()
  app.setErrorHandler(async (_error, _request, reply) => reply.code(500).send({ handledBy: 'framework' }))
  await register(app)
  await app.ready()
  const answer = (response: Awaited<ReturnType<FastifyInstance['inject']>>) => ({
    status: response.statusCode,
    headers: response.headers as Record<string, string>,
    body: response.body === '' ? undefined : JSON.parse(response.body),
  })
  return {
    async post(path, { body, headers = {} } = {}) {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
      const contentType = typeof body === 'object' ? { 'content-type': 'application/json' } : {}
      return answer(await app.inject({ method: 'POST', url: path, headers: { ...contentType, ...headers }, ...(payload === undefined ? {} : { payload }) }))
    },
    get: async (path, { headers = {} } = {}) => answer(await app.inject({ method: 'GET', url: path, headers })),
    close: () => app.close(),
  }
}
