import { webhookRoute } from '@calltoken/fastify'
import { runWebhookContract } from '@calltoken/test-kit/http'
import { webhookProviders } from '../../express/test/support/webhook-providers'
import { injectClient } from './support/inject-client'

runWebhookContract({
  framework: 'fastify',
  ...webhookProviders,
  // Fastify's parsers are per plugin: the app's cannot run before this route's.
  hasGlobalParsers: false,
  seenUrl: (path) => `http://hooks.example.com${path}`,
  makeClient: (options, path) => injectClient((app) => app.register(webhookRoute, { ...options, path })),
})
