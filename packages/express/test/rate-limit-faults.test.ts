import { createCallTokenRouter } from '@calltoken/express'
import { runRateLimitStoreFaults } from '@calltoken/test-kit/redis'
import express from 'express'
import { contractProviders } from './support/contract-providers'
import { frameworkErrorHandler, supertestClient } from './support/supertest-client'

runRateLimitStoreFaults({
  framework: 'express',
  provider: contractProviders.providers[0]!,
  makeClient: async (options, prefix) => supertestClient(express().use(prefix, createCallTokenRouter(options)).use(frameworkErrorHandler)),
})
