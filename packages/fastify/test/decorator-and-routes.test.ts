import { CallTokenError, isCallTokenError } from '@calltoken/core'
import { callTokenRoutes, fastifyCallToken } from '@calltoken/fastify'
import { fixedClock } from '@calltoken/test-kit'
import fastifyRateLimit from '@fastify/rate-limit'
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyRequest } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { contractProviders } from '../../express/test/support/contract-providers'

const { providers } = contractProviders
const [stream] = providers
const twilio = providers.find((p) => p.id === 'twilio')!
const now = fixedClock()

const apps: FastifyInstance[] = []
function app(): FastifyInstance {
  const instance = Fastify()
  apps.push(instance)
  return instance
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((instance) => instance.close()))
})

const json = (payload: unknown) => ({ headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) })

describe('fastifyCallToken (the fp-wrapped decorator)', () => {
  it('decorates app.callToken with a token service that mints and verifies', async () => {
    const fastify = app()
    await fastify.register(fastifyCallToken, { provider: stream!, now })
    expect(fastify.hasDecorator('callToken')).toBe(true)
    const issued = await fastify.callToken.createCallToken({ userId: 'alice', callId: 'standup', role: 'moderator', validityInSeconds: 600 })
    expect(issued).toMatchObject({ provider: stream!.id, userId: 'alice', callId: 'standup', role: 'moderator', validityInSeconds: 600 })
    expect(await fastify.callToken.verifyToken(issued.token)).toMatchObject({ userId: 'alice', callId: 'standup' })
    const user = await fastify.callToken.createUserToken({ userId: 'bob' })
    expect(await fastify.callToken.verifyToken(user.token)).toMatchObject({ userId: 'bob' })
    await expect(fastify.callToken.verifyToken(`${issued.token.slice(0, -4)}AAAA`)).rejects.toThrow(expect.objectContaining({ code: 'ERR_CALLTOKEN_INVALID_TOKEN' }))
    await expect(fastify.callToken.createCallToken({ userId: 'alice', callId: '' })).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_INPUT' })
  })

  it('is not encapsulated: sibling plugins and their routes see the same service, and the plugin is named', async () => {
    const fastify = app()
    await fastify.register(fastifyCallToken, { provider: stream!, now })
    let seenBySibling: unknown
    const sibling: FastifyPluginAsync = async (child) => {
      seenBySibling = child.callToken
      child.post('/my-own-route', async (request) => {
        const { userId } = request.body as { userId: string }
        const { token, expiresAt } = await child.callToken.createUserToken({ userId })
        return { token, expiresAt: expiresAt.toISOString() }
      })
    }
    await fastify.register(sibling, { prefix: '/custom' })
    expect(seenBySibling).toBe(fastify.callToken)
    expect(fastify.hasPlugin('@calltoken/fastify')).toBe(true)
    const response = await fastify.inject({ method: 'POST', url: '/custom/my-own-route', ...json({ userId: 'carol' }) })
    expect(response.statusCode).toBe(200)
    expect(await fastify.callToken.verifyToken(response.json().token)).toMatchObject({ userId: 'carol' })
  })

  it('checks its options at registration and refuses a second registration on the same instance', async () => {
    await expect(app().register(fastifyCallToken, { provider: stream!, policy: { validity: { minSeconds: 600, maxSeconds: 60 } } })).rejects.toMatchObject({
      code: 'ERR_CALLTOKEN_INVALID_CONFIG',
    })
    const fastify = app()
    await fastify.register(fastifyCallToken, { provider: stream! })
    await expect(fastify.register(fastifyCallToken, { provider: twilio })).rejects.toMatchObject({ code: 'FST_ERR_DEC_ALREADY_PRESENT' })
  })
})

describe('callTokenRoutes is encapsulated', () => {
  async function appWithNeighbours() {
    const fastify = app()
    const handled: unknown[] = []
    fastify.setErrorHandler((error, _request, reply) => {
      handled.push(error)
      return reply.code(418).send({ handledBy: 'app', message: (error as Error).message })
    })
    await fastify.register(callTokenRoutes, { prefix: '/api', provider: stream!, now, allowAnonymous: true, rateLimit: false })
    fastify.post('/echo', async (request) => ({ isBuffer: Buffer.isBuffer(request.body), type: typeof request.body, body: request.body }))
    fastify.post('/throws-call-token-error', async () => {
      throw new CallTokenError('ERR_CALLTOKEN_FORBIDDEN', 'Forbidden: thrown by an app route')
    })
    await fastify.ready()
    return { fastify, handled }
  }

  it("its buffer-everything content-type parser and 16 KiB limit do not reach the app's own routes", async () => {
    const { fastify, handled } = await appWithNeighbours()
    const parsed = await fastify.inject({ method: 'POST', url: '/echo', ...json({ a: 1 }) })
    expect(parsed.json()).toEqual({ isBuffer: false, type: 'object', body: { a: 1 } })
    const text = await fastify.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'text/plain' }, payload: 'hello' })
    expect(text.json()).toEqual({ isBuffer: false, type: 'string', body: 'hello' })
    const unsupported = await fastify.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' })
    // Fastify's own 415, passed to the app's error handler: the routes' catch-all parser did not take the body.
    expect(unsupported.statusCode).toBe(418)
    expect(handled).toEqual([expect.objectContaining({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 })])
    const big = await fastify.inject({ method: 'POST', url: '/echo', ...json({ pad: 'x'.repeat(20_000) }) })
    expect(big.statusCode).toBe(200) // Fastify's 1 MiB default, not the routes' 16 KiB
    // Meanwhile the token routes keep their own parsing.
    expect((await fastify.inject({ method: 'POST', url: '/api/tokens/user', ...json({ userId: 'alice', pad: 'x'.repeat(20_000) }) })).statusCode).toBe(413)
    expect((await fastify.inject({ method: 'POST', url: '/api/tokens/user', headers: { 'content-type': 'text/plain' }, payload: '{}' })).statusCode).toBe(415)
  })

  it("its error handler does not catch the app's errors, even CallTokenErrors, and its rate-limit decorators stay inside", async () => {
    const { fastify, handled } = await appWithNeighbours()
    const response = await fastify.inject({ method: 'POST', url: '/throws-call-token-error' })
    expect(response.statusCode).toBe(418)
    expect(response.json()).toEqual({ handledBy: 'app', message: 'Forbidden: thrown by an app route' })
    expect(handled).toHaveLength(1)
    expect(isCallTokenError(handled[0])).toBe(true)
    // The routes' own CallTokenErrors are answered by the routes and never reach the app's handler.
    expect((await fastify.inject({ method: 'POST', url: '/api/tokens/call', ...json({ userId: 'alice' }) })).statusCode).toBe(422)
    expect(handled).toHaveLength(1)
    expect(fastify.hasDecorator('rateLimit')).toBe(false)
    expect(fastify.hasDecorator('createRateLimit')).toBe(false)
  })

  it('can be registered twice under two prefixes, each with its own provider and its own rate limit', async () => {
    const fastify = app()
    const headerAuth = (request: FastifyRequest) => ({ userId: String(request.headers['x-test-user'] ?? 'alice') })
    await fastify.register(callTokenRoutes, { prefix: '/stream', provider: stream!, now, authenticate: headerAuth, rateLimit: { max: 1, windowMs: 60_000 } })
    await fastify.register(callTokenRoutes, { prefix: '/twilio', provider: twilio, now, authenticate: headerAuth, rateLimit: { max: 1, windowMs: 60_000 } })
    const viaStream = await fastify.inject({ method: 'POST', url: '/stream/tokens/call', ...json({ callId: 'standup' }) })
    const viaTwilio = await fastify.inject({ method: 'POST', url: '/twilio/tokens/call', ...json({ callId: 'standup' }) })
    expect([viaStream.statusCode, viaTwilio.statusCode]).toEqual([200, 200])
    expect(await stream!.verify(viaStream.json().data.token, { now })).toMatchObject({ provider: 'stream', userId: 'alice', callId: 'standup' })
    expect(await twilio.verify(viaTwilio.json().data.token, { now })).toMatchObject({ provider: 'twilio', userId: 'alice', callId: 'standup' })
    await expect(twilio.verify(viaStream.json().data.token, { now })).rejects.toThrow()
    // Each registration counts on its own: the second stream call is limited, twilio's user route is untouched.
    const limited = await fastify.inject({ method: 'POST', url: '/stream/tokens/call', ...json({ callId: 'standup' }) })
    expect(limited.statusCode).toBe(429)
    expect(limited.json()).toMatchObject({ success: false, code: 'ERR_CALLTOKEN_RATE_LIMITED' })
    expect((await fastify.inject({ method: 'POST', url: '/twilio/tokens/user', ...json({}) })).statusCode).toBe(200)
    expect((await fastify.inject({ method: 'POST', url: '/tokens/user', ...json({}) })).statusCode).toBe(404)
  })
})

describe("the app's error handler and the routes", () => {
  const failingAuth = () => {
    throw new Error('session store down')
  }

  it('an app-level error handler set BEFORE registering receives unknown errors, unchanged', async () => {
    const fastify = app()
    const handled: { error: unknown; url: string }[] = []
    fastify.setErrorHandler((error, request, reply) => {
      handled.push({ error, url: request.url })
      return reply.code(503).send({ handledBy: 'app' })
    })
    await fastify.register(callTokenRoutes, { prefix: '/api', provider: stream!, now, authenticate: failingAuth, rateLimit: false })
    const response = await fastify.inject({ method: 'POST', url: '/api/tokens/call', ...json({ callId: 'standup' }) })
    expect(response.statusCode).toBe(503)
    expect(response.json()).toEqual({ handledBy: 'app' })
    expect(handled).toHaveLength(1)
    expect(handled[0]!.error).toBeInstanceOf(Error)
    expect((handled[0]!.error as Error).message).toBe('session store down')
    expect(handled[0]!.url).toBe('/api/tokens/call')
  })

  it('one set AFTER `await register(...)` is not consulted (Fastify binds the parent handler at registration: set it first)', async () => {
    const fastify = app()
    await fastify.register(callTokenRoutes, { prefix: '/api', provider: stream!, now, authenticate: failingAuth, rateLimit: false })
    let called = false
    fastify.setErrorHandler((_error, _request, reply) => {
      called = true
      return reply.code(503).send({ handledBy: 'app' })
    })
    const response = await fastify.inject({ method: 'POST', url: '/api/tokens/user', ...json({}) })
    expect(called).toBe(false)
    expect(response.statusCode).toBe(500) // Fastify's default handler
    expect(response.json()).toMatchObject({ statusCode: 500, message: 'session store down' })
  })
})

describe('next to an app that registered @fastify/rate-limit itself', () => {
  // @fastify/rate-limit decorates `rateLimit` once per tree, so the app's limiter (and store) counts the token routes;
  // the routes still pass their own limit, key and 429 envelope per route.
  it('still answers 429 with the calltoken envelope and no-store', async () => {
    const fastify = app()
    await fastify.register(fastifyRateLimit, { global: false })
    await fastify.register(callTokenRoutes, { prefix: '/api', provider: stream!, now, allowAnonymous: true, rateLimit: { max: 1, windowMs: 60_000 } })
    expect((await fastify.inject({ method: 'POST', url: '/api/tokens/user', ...json({ userId: 'alice' }) })).statusCode).toBe(200)
    const limited = await fastify.inject({ method: 'POST', url: '/api/tokens/user', ...json({ userId: 'alice' }) })
    expect(limited.statusCode).toBe(429)
    expect(limited.headers['cache-control']).toBe('no-store')
    expect(limited.json()).toMatchObject({ success: false, code: 'ERR_CALLTOKEN_RATE_LIMITED' })
  })
})
