import { callTokenRoutes, tokenRoute } from '@calltoken/fastify'
import { runHttpContract } from '@calltoken/test-kit/http'
import type { FastifyPluginAsync } from 'fastify'
import { contractProviders } from '../../express/test/support/contract-providers'
import { injectClient } from './support/inject-client'

runHttpContract({
  framework: 'fastify',
  ...contractProviders,
  makeClient: (options, prefix) => injectClient((app) => app.register(callTokenRoutes, { ...options, prefix })),
  makeRouteClient: (options, prefix, route) => injectClient((app) => app.register(tokenRoute as FastifyPluginAsync<Parameters<typeof tokenRoute>[1]>, { ...options, prefix, route })),
})
