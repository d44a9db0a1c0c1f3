import { createFetchHandler } from '@calltoken/fetch'
import { runRateLimitStoreFaults } from '@calltoken/test-kit/redis'
import { contractProviders } from '../../express/test/support/contract-providers'
import { fetchClient } from './support/fetch-client'

runRateLimitStoreFaults({
  framework: 'fetch',
  provider: contractProviders.providers[0]!,
  makeClient: async (options, prefix) => fetchClient(createFetchHandler({ ...options, prefix })),
})
