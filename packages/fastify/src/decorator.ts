import { createTokenService, type CallTokenProvider, type TokenOptions, type TokenService } from '@calltoken/core'
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import type { RegisteredProvider } from './register'

declare module 'fastify' {
  interface FastifyInstance {
    /** The token service of `fastifyCallToken`: createUserToken, createCallToken, verifyToken. Typed by `CallTokenRegister`. */
    callToken: TokenService<RegisteredProvider>
  }
}

const decorate: FastifyPluginAsync<TokenOptions<CallTokenProvider>> = async (fastify, options) => {
  fastify.decorate('callToken', createTokenService(options) as TokenService<RegisteredProvider>)
}

/**
 * Decorates the instance (not encapsulated) with `fastify.callToken`, for apps that write their own routes.
 *
 * @example
 * await app.register(fastifyCallToken, { provider: stream({ apiKey, apiSecret }) })
 * app.get('/me/token', async (req) => (await app.callToken.createUserToken({ userId: req.user.id })).token)
 */
export const fastifyCallToken = fp(decorate, { fastify: '5.x', name: '@calltoken/fastify' })
