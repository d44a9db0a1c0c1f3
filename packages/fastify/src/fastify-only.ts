import { configError } from '@calltoken/core/provider'
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'

/**
 * A plugin that refuses to run as Express middleware (Express calls it with a request, a response and `next`),
 * passing a coded error to `next` rather than failing on every request with an unrelated one.
 */
export function fastifyOnly<O>(plugin: (fastify: FastifyInstance, options: O) => Promise<void>): FastifyPluginAsync<O & Record<never, never>> {
  return async function (this: unknown, fastify: FastifyInstance, options: O, ...rest: unknown[]) {
    if (typeof (fastify as { register?: unknown }).register !== 'function' || typeof (fastify as { route?: unknown }).route !== 'function') {
      const error = configError('@calltoken/fastify makes Fastify plugins: register them with app.register(); in Express, use createCallTokenRouter from @calltoken/express')
      const next = rest[0]
      if (typeof next === 'function') return void next(error)
      throw error
    }
    return plugin(fastify, options)
  } as FastifyPluginAsync<O & Record<never, never>>
}

