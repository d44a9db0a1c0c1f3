import { createFetchHandler, createFetchTokenRoute } from '@calltoken/fetch'
import { runHttpContract } from '@calltoken/test-kit/http'
import { contractProviders } from '../../express/test/support/contract-providers'
import { fetchClient } from './support/fetch-client'

runHttpContract({
  framework: 'fetch',
  ...contractProviders,
  makeClient: async (options, prefix) => fetchClient(createFetchHandler({ ...options, prefix })),
  makeRouteClient: async (options, prefix, route) => fetchClient(createFetchTokenRoute({ ...options, prefix }, route)),
})

// The same suite with fallthrough: every route answers as above, and what is not a route goes to the host (its 404).
runHttpContract({
  framework: 'fetch (fallthrough)',
  ...contractProviders,
  makeClient: async (options, prefix) => fetchClient(createFetchHandler({ ...options, prefix, fallthrough: true })),
  makeRouteClient: async (options, prefix, route) => fetchClient(createFetchTokenRoute({ ...options, prefix, fallthrough: true }, route)),
})
