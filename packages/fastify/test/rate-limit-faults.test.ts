import { callTokenRoutes } from '@calltoken/fastify'
import { runRateLimitStoreFaults } from '@calltoken/test-kit/redis'
import { contractProviders } from '../../express/test/support/contract-providers'
import { injectClient } from './support/inject-client'

runRateLimitStoreFaults({
  framework: 'fastify',
  provider: contractProviders.providers[0]!,
  makeClient: (options, prefix) => injectClient((app) => app.register(callTokenRoutes, { ...options, prefix })),
})
