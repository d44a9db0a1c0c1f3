import { createCallTokenRouter } from '@calltoken/express'
import { runHttpContract, type ContractClient } from '@calltoken/test-kit'
import express, { type NextFunction, type Request, type Response } from 'express'
import request from 'supertest'
import { contractProviders } from '../../test-kit/src/providers'

function expressClient(app: express.Express): ContractClient {
  return {
    async post(path, { body, headers = {} } = {}) {
      let pending = request(app).post(path).set(headers)
      if (body !== undefined) {
        pending = typeof body === 'string' ? pending.send(body) : pending.set('content-type', 'application/json').send(JSON.stringify(body))
      }
      const response = await pending
      return { status: response.status, headers: response.headers as Record<string, string>, body: response.body }
    },
    close: async () => undefined,
  }
}

runHttpContract({
  framework: 'express',
  ...contractProviders,
  async makeClient(options, prefix) {
    const app = express()
    app.use(prefix, createCallTokenRouter(options))
    app.use((_error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).json({ handledBy: 'framework' })
    })
    return expressClient(app)
  },
})
