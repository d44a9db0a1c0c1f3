import { webhookHandler } from '@calltoken/express'
import { runWebhookContract } from '@calltoken/test-kit/http'
import express from 'express'
import { webhookProviders } from './support/webhook-providers'
import { frameworkErrorHandler, supertestClient } from './support/supertest-client'

runWebhookContract({
  framework: 'express',
  ...webhookProviders,
  hasGlobalParsers: true,
  seenUrl: (path) => `http://hooks.example.com${path}`,
  async makeClient(options, path, { parseBodyFirst = false } = {}) {
    const app = express()
    if (parseBodyFirst) app.use(express.json())
    return supertestClient(app.post(path, webhookHandler(options)).use(frameworkErrorHandler))
  },
})
