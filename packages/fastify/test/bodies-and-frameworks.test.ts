import { createCallTokenRouter } from '@calltoken/express'
import { callTokenRoutes, tokenRoute } from '@calltoken/fastify'
import express, { type NextFunction, type Request, type Response } from 'express'
import Fastify, { type FastifyInstance } from 'fastify'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { contractProviders } from '../../express/test/support/contract-providers'

const [provider] = contractProviders.providers
const options = { provider: provider!, allowAnonymous: true, rateLimit: false as const }
const apps: FastifyInstance[] = []
const app = () => {
  const instance = Fastify()
  apps.push(instance)
  return instance
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((instance) => instance.close()))
})
const post = (fastify: FastifyInstance, url: string, payload: string, contentType = 'application/json') =>
  fastify.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload })

describe("fastify: the app's own content-type parsers", () => {
  it('do not reach the token routes, which keep their strictness (400, 413, 415, 422) next to the app\'s lenient JSON parser', async () => {
    const fastify = app()
    // A lenient parser of the app's own, with a large limit, that would accept anything.
    fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string))
      } catch {
        done(null, {})
      }
    })
    fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))))
    fastify.post('/echo', async (req) => ({ echoed: req.body }))
    await fastify.register(callTokenRoutes, { ...options, prefix: '/api' })
    expect((await post(fastify, '/api/tokens/call', '{"userId":')).json()).toMatchObject({ code: 'ERR_CALLTOKEN_MALFORMED_BODY' })
    expect((await post(fastify, '/api/tokens/call', '{"userId":"a","callId":"b","__proto__":{}}')).statusCode).toBe(400)
    expect((await post(fastify, '/api/tokens/call', JSON.stringify({ userId: 'a', callId: 'b', pad: 'x'.repeat(200 * 1024) }))).statusCode).toBe(413)
    expect((await post(fastify, '/api/tokens/call', '{"userId":"a","callId":"b","extra":1}')).statusCode).toBe(422)
    expect((await post(fastify, '/api/tokens/user', 'userId=alice', 'application/x-www-form-urlencoded')).statusCode).toBe(415)
    expect((await post(fastify, '/api/tokens/user', '{"userId":"alice"}')).statusCode).toBe(200)
    expect((await post(fastify, '/echo', 'a=1', 'application/x-www-form-urlencoded')).json()).toEqual({ echoed: { a: '1' } })
  })

  it('a body an app hook put in place of the raw bytes is refused with a coded error, never minted from', async () => {
    const fastify = app()
    fastify.addHook('preHandler', async (req) => {
      req.body = { userId: 'mallory' }
    })
    await fastify.register(callTokenRoutes, { ...options, prefix: '/api' })
    const response = await post(fastify, '/api/tokens/user', '{"userId":"alice"}')
    expect(response.statusCode).toBe(500)
    expect(response.json()).toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG', error: expect.stringMatching(/^A body parser of the app/) })
  })
})

describe('a binding used with the wrong framework is a coded error as soon as it can be seen', () => {
  it('the Fastify plugin mounted in Express: its first request reaches the error handler with INVALID_CONFIG', async () => {
    const seen: unknown[] = []
    const expressApp = express()
    expressApp.use('/api', callTokenRoutes as unknown as express.RequestHandler)
    expressApp.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      seen.push(error)
      res.status(500).json({ code: (error as { code?: string }).code })
    })
    const response = await request(expressApp).post('/api/tokens/user').send({ userId: 'alice' })
    expect(response.body).toEqual({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' })
    expect((seen[0] as Error).message).toMatch(/@calltoken\/fastify makes Fastify plugins: register them with app.register\(\); in Express, use createCallTokenRouter/)
  })

  it('the Express router registered in Fastify: registration fails with INVALID_CONFIG', async () => {
    const fastify = app()
    fastify.register(createCallTokenRouter(options) as never)
    await expect(fastify.ready()).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG', message: expect.stringMatching(/in Fastify, register callTokenRoutes from @calltoken\/fastify/) })
  })

  it('tokenRoute registered without a route spec', async () => {
    const fastify = app()
    fastify.register(tokenRoute, { ...options, route: undefined as never })
    await expect(fastify.ready()).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' })
  })
})
