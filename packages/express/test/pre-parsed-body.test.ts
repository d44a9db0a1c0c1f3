import { createCallTokenRouter, createTokenRoute } from '@calltoken/express'
import express from 'express'
import express4 from 'express4'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { contractProviders } from './support/contract-providers'

const [provider] = contractProviders.providers
const logged: { details: unknown; message: string }[] = []
const options = { provider: provider!, allowAnonymous: true, rateLimit: false as const, logger: { error: (details: unknown, message: string) => void logged.push({ details, message }) } }
const REFUSAL = /^A body parser of the app \(such as a global express\.json\(\) or express\.urlencoded\(\), a hook that set the body, or a middleware that read the body of a fetch Request\) read this request before the token routes: mount the token routes before it/

// An app-wide parser that runs before the token routes decides the size limit, the syntax and the keys that count.
for (const [name, framework] of [['express 5', express], ['express 4', express4]] as const) {
  describe(`${name}: the token routes and the app's own body parsers`, () => {
    const appWith = (parsers: unknown[], mountFirst = false) => {
      const app = (framework as typeof express)()
      if (mountFirst) app.use('/api', createCallTokenRouter(options))
      for (const parser of parsers) app.use(parser as express.RequestHandler)
      if (!mountFirst) app.use('/api', createCallTokenRouter(options))
      app.post('/echo', (req, res) => void res.json({ echoed: req.body }))
      return app
    }

    it('behind a global json() or urlencoded() parser: a coded 500 that says what to change, logged; never a token', async () => {
      const app = appWith([framework.json(), framework.urlencoded({ extended: false })])
      logged.length = 0
      const json = await request(app).post('/api/tokens/call').send({ userId: 'alice', callId: 'standup' })
      const form = await request(app).post('/api/tokens/user').type('form').send('userId=alice')
      for (const response of [json, form]) {
        expect(response.status).toBe(500)
        expect(response.headers['cache-control']).toBe('no-store')
        expect(response.body).toMatchObject({ success: false, code: 'ERR_CALLTOKEN_INVALID_CONFIG', error: expect.stringMatching(REFUSAL) })
        expect(response.body).not.toHaveProperty('data')
      }
      expect(logged.map((l) => l.message)).toEqual([expect.stringMatching(REFUSAL), expect.stringMatching(REFUSAL)])
      // Requests those parsers leave alone (another content type, no body) still get the routes' own answers.
      expect((await request(app).post('/api/tokens/user').type('text').send('{"userId":"alice"}')).status).toBe(415)
      expect((await request(app).post('/api/tokens/user')).status).toBe(422)
      expect((await request(app).post('/echo').send({ a: 1 })).body).toEqual({ echoed: { a: 1 } })
    })

    it('mounted before them: full strictness (400 malformed, 400 __proto__, 413, 422 unknown field), and the app keeps its parsers', async () => {
      const app = appWith([framework.json({ limit: '1mb' }), framework.urlencoded({ extended: false })], true)
      const post = (body: string, type = 'application/json') => request(app).post('/api/tokens/call').set('content-type', type).send(body)
      expect((await post('{"userId":')).body).toMatchObject({ code: 'ERR_CALLTOKEN_MALFORMED_BODY', error: 'Malformed JSON body' })
      expect((await post('{"userId":"a","callId":"b","__proto__":{"x":1}}')).status).toBe(400)
      expect((await post(JSON.stringify({ userId: 'a', callId: 'b', pad: 'x'.repeat(200 * 1024) }))).status).toBe(413)
      expect((await post('{"userId":"a","callId":"b","extra":1}')).status).toBe(422)
      expect((await post('userId=alice&callId=b', 'application/x-www-form-urlencoded')).status).toBe(415)
      const ok = await post('{"userId":"alice","callId":"standup"}')
      expect(ok.status).toBe(200)
      expect(ok.body.data).toMatchObject({ userId: 'alice', callId: 'standup', refreshToken: expect.any(String) })
      expect((await request(app).post('/echo').send({ a: 1 })).body).toEqual({ echoed: { a: 1 } })
    })

    it('behind a global raw() or text() parser: the bytes are still the routes\' to judge', async () => {
      for (const parser of [framework.raw({ type: () => true }), framework.text({ type: () => true })]) {
        const app = appWith([parser])
        const ok = await request(app).post('/api/tokens/user').set('content-type', 'application/json').send('{"userId":"alice"}')
        expect(ok.status).toBe(200)
        const big = await request(app).post('/api/tokens/user').set('content-type', 'application/json').send(JSON.stringify({ userId: 'a', pad: 'x'.repeat(50_000) }))
        expect(big.body).toMatchObject({ code: 'ERR_CALLTOKEN_BODY_TOO_LARGE' })
        expect(big.status).toBe(413)
      }
    })

    it('a custom route behind a global json(): the same refusal', async () => {
      const app = (framework as typeof express)()
      app.use(framework.json())
      const route = { name: 'room', kind: 'user' as const, method: 'post' as const, path: '/rooms/token', input: ({ body }: { body: unknown }) => body as { userId: string } }
      app.use('/api', createTokenRoute(options, route))
      const response = await request(app).post('/api/rooms/token').send({ userId: 'alice' })
      expect(response.status).toBe(500)
      expect(response.body).toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG', error: expect.stringMatching(REFUSAL) })
    })
  })
}
