import { createFetchWebhookHandler } from '@calltoken/fetch'
import { runWebhookContract } from '@calltoken/test-kit/http'
import { webhookProviders } from '../../express/test/support/webhook-providers'
import { fetchClient } from './support/fetch-client'

runWebhookContract({
  framework: 'fetch',
  ...webhookProviders,
  // A host that read the body first (request.bodyUsed) is refused as a parsed body.
  hasGlobalParsers: true,
  // A Request's URL is what the host built it from, not its Host header.
  seenUrl: (path) => `http://localhost${path}`,
  async makeClient(options, path, { parseBodyFirst = false } = {}) {
    const handler = createFetchWebhookHandler(options)
    return fetchClient(async (request) => {
      if (new URL(request.url).pathname !== path) return undefined
      if (parseBodyFirst) await request.json()
      return handler(request)
    })
  },
})
