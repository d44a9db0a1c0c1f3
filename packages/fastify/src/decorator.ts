import { createTokenService, type CallTokenProvider, type TokenOptions, type TokenService } from '@calltoken/core'
import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyInstance {
    /** The token service of `fastifyCallToken`: createUserToken, createCallToken, verifyToken. */
    callToken: TokenService
  }
}

const decorate: FastifyPluginAsync<TokenOptions<CallTokenProvider>> = async (fastify, options) => {
  fastify.decorate('callToken', createTokenService(options))
}

/** Decorates the instance (not encapsulated) with `fastify.callToken`, for apps that write their own routes. */
export const fastifyCallToken = fp(decorate, { fastify: '5.x', name: '@calltoken/fastify' })
