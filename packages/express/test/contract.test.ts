import { createCallTokenRouter, createTokenRoute } from '@calltoken/express'
import { runHttpContract } from '@calltoken/test-kit/http'
import express from 'express'
import { contractProviders } from './support/contract-providers'
import { frameworkErrorHandler, supertestClient } from './support/supertest-client'

runHttpContract({
  framework: 'express',
  ...contractProviders,
  async makeClient(options, prefix) {
    return supertestClient(express().use(prefix, createCallTokenRouter(options)).use(frameworkErrorHandler))
  },
  async makeRouteClient(options, prefix, route) {
    const app = express().use(prefix, createTokenRoute(options, route))
    return supertestClient(app.use(frameworkErrorHandler))
  },
})
