import { createCallTokenRouter } from '@calltoken/express'
import { callTokenRoutes } from '@calltoken/fastify'
import { fixedClock } from '@calltoken/test-kit'
import express from 'express'
import Fastify from 'fastify'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { contractProviders } from '../../express/test/support/contract-providers'

// The same requests through both bindings: status, the headers that matter and the body bytes must be identical.
const cases: [string, string, Record<string, string>][] = [
  ['/api/tokens/call', JSON.stringify({ userId: 'alice', callId: 'team-meeting-123', role: 'moderator', validityInSeconds: 7200 }), { 'content-type': 'application/json' }],
  ['/api/tokens/user', JSON.stringify({ userId: 'alice', callId: 'c1' }), { 'content-type': 'application/json; charset=utf-8' }],
  ['/api/tokens/user', '', {}],
  ['/api/tokens/call', JSON.stringify({ userId: 'alice' }), { 'content-type': 'application/json' }],
  ['/api/tokens/call', JSON.stringify({ userId: 'alice', callId: 'c1', validityInSeconds: '60' }), { 'content-type': 'application/json' }],
  ['/api/tokens/call', '{"userId":', { 'content-type': 'application/json' }],
  ['/api/tokens/call', 'userId=alice', { 'content-type': 'application/x-www-form-urlencoded' }],
  ['/api/tokens/call', '{"__proto__":{"admin":true}}', { 'content-type': 'application/json' }],
  ['/api/tokens/call', JSON.stringify({ pad: 'x'.repeat(20_000) }), { 'content-type': 'application/json' }],
  ['/api/tokens/refresh', JSON.stringify({ token: 'nope' }), { 'content-type': 'application/json' }],
  ['/api/tokens/refresh', JSON.stringify({ refreshToken: 'nope' }), { 'content-type': 'application/json' }],
  ['/api/tokens/call', 'null', { 'content-type': 'application/json' }],
  ['/api/tokens/call', JSON.stringify({ userId: 'alice', callId: 'c1', role: 'owner' }), { 'content-type': 'application/json' }],
]

describe('express and fastify answer byte for byte alike', () => {
  for (const provider of contractProviders.providers) {
    it(provider.id, async () => {
      // A limit the call route's cases overrun, so a 429 and its headers are compared too.
      const options = { provider, now: fixedClock(), allowAnonymous: true, rateLimit: { max: 6, windowMs: 60_000 } }
      const expressApp = express().use('/api', createCallTokenRouter(options))
      const fastifyApp = Fastify()
      await fastifyApp.register(callTokenRoutes, { ...options, prefix: '/api' })

      for (const [path, payload, headers] of cases) {
        const pending = request(expressApp).post(path).set(headers)
        const viaExpress = await (payload === '' ? pending : pending.send(payload))
        const viaFastify = await fastifyApp.inject({ method: 'POST', url: path, headers, ...(payload === '' ? {} : { payload }) })
        const label = `${path} ${payload.slice(0, 40)}`
        expect(viaFastify.statusCode, label).toBe(viaExpress.status)
        // Agora salts every token, so tokens are compared by what they grant; everything else byte for byte.
        const tokenOf = (text: string) => /"token":"([^"]+)"/.exec(text)?.[1]
        const withoutToken = (text: string) => text.replace(/"token":"[^"]+"/, '"token":"…"')
        expect(withoutToken(viaFastify.body), label).toBe(withoutToken(viaExpress.text))
        const [a, b] = [tokenOf(viaFastify.body), tokenOf(viaExpress.text)]
        if (a !== undefined && b !== undefined) {
          const granted = (token: string) => ({ ...provider.decode(token), claims: undefined })
          expect(granted(a), label).toEqual(granted(b))
          if (provider.id !== 'agora') expect(a, label).toBe(b)
        }
        expect(viaFastify.headers['cache-control'], label).toBe('no-store')
        expect(viaExpress.headers['cache-control'], label).toBe('no-store')
        for (const name of ['ratelimit', 'ratelimit-policy', 'retry-after']) expect(viaFastify.headers[name], `${label} ${name}`).toBe(viaExpress.headers[name])
        // A body over the limit is refused while it is read, before the pipeline (and its count) runs.
        expect(viaExpress.headers['ratelimit-policy'], label).toBe(viaExpress.status === 413 ? undefined : '6;w=60')
        expect(viaFastify.headers['content-type'], label).toBe(viaExpress.headers['content-type'])
      }
      await fastifyApp.close()
    })
  }
})
