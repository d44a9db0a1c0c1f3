import { createCallTokenRouter, createTokenRoute } from '@calltoken/express'
import { runHttpContract } from '@calltoken/test-kit/http'
import express4 from 'express4'
import { createRequire } from 'node:module'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { contractProviders } from './support/contract-providers'
import type { NextFunction, Request, Response } from 'express'
import { frameworkErrorHandler, supertestClient } from './support/supertest-client'

describe('the app under test really is Express 4', () => {
  it('express4 resolves to express 4.x, distinct from the express 5 the router is built with', () => {
    const require = createRequire(import.meta.url)
    expect((require('express4/package.json') as { version: string }).version).toMatch(/^4\./)
    expect((require('express/package.json') as { version: string }).version).toMatch(/^5\./)
  })
})

// The same contract as contract.test.ts (Express 5), with the router mounted in an Express 4 app.
runHttpContract({
  framework: 'express 4',
  ...contractProviders,
  async makeClient(options, prefix) {
    const app = express4()
    app.use(prefix, createCallTokenRouter(options))
    app.use(frameworkErrorHandler)
    return supertestClient(app)
  },
  async makeRouteClient(options, prefix, route) {
    const app = express4()
    app.use(prefix, createTokenRoute(options, route))
    app.use(frameworkErrorHandler)
    return supertestClient(app)
  },
})

// Common Express 4 setups around the router.
describe('express 4: the router next to usual app middleware', () => {
  const [provider] = contractProviders.providers
  const options = { provider: provider!, allowAnonymous: true, rateLimit: false as const }

  it('a rejected authenticate reaches the Express 4 error handler with the original error', async () => {
    const seen: unknown[] = []
    const app = express4()
    app.use('/api', createCallTokenRouter({ provider: provider!, rateLimit: false, authenticate: () => Promise.reject(new Error('session store down')) }))
    app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      seen.push(error)
      res.status(503).json({ handledBy: 'app' })
    })
    const response = await request(app).post('/api/tokens/user')
    expect(response.status).toBe(503)
    expect(seen).toHaveLength(1)
    expect((seen[0] as Error).message).toBe('session store down')
  })

  it('sets the rate-limit headers and a Retry-After on 429 under Express 4', async () => {
    const app = express4()
    app.use('/api', createCallTokenRouter({ ...options, rateLimit: { max: 1, windowMs: 60_000 } }))
    const first = await request(app).post('/api/tokens/user').send({ userId: 'alice' })
    expect(first.status).toBe(200)
    expect(first.headers['ratelimit-policy']).toBe('1;w=60')
    const limited = await request(app).post('/api/tokens/user').send({ userId: 'alice' })
    expect(limited.status).toBe(429)
    expect(limited.body).toMatchObject({ success: false, code: 'ERR_CALLTOKEN_RATE_LIMITED' })
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
  })
})
