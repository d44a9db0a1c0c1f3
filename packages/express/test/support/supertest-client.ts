import type { ContractClient } from '@calltoken/test-kit/http'
import type { NextFunction, Request, Response } from 'express'
import request from 'supertest'

type App = Parameters<typeof request>[0]

/** The contract suite's client over supertest, for an Express 4 or 5 app. */
export function supertestClient(app: App): ContractClient {
  const answer = (response: request.Response) => ({ status: response.status, headers: response.headers as Record<string, string>, body: response.body })
  return {
    async post(path, { body, headers = {} } = {}) {
      let pending = request(app).post(path).set(headers)
      if (body !== undefined) {
        pending = typeof body === 'string' ? pending.send(body) : pending.set('content-type', 'application/json').send(JSON.stringify(body))
      }
      return answer(await pending)
    },
    get: async (path, { headers = {} } = {}) => answer(await request(app).get(path).set(headers)),
    close: async () => undefined,
  }
}

/** The app-level error handler the contract expects unknown errors to reach. */
export const frameworkErrorHandler = (_error: unknown, _req: Request, res: Response, _next: NextFunction) => {
  res.status(500).json({ handledBy: 'framework' })
}
