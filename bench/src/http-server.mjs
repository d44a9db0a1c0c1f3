// One server process for http.mjs: Express 5 or Fastify 5 on 127.0.0.1, port 0, with four routes:
//   GET  /bare                 constant small JSON (the framework's floor)
//   POST /hand/tokens/call     what a careful developer writes by hand: the framework's JSON parser, a strict hand
//                              check of the body, service.createCallToken(), { success: true, data }, no-store
//   POST /api/tokens/call      the binding: allowAnonymous, rateLimit: false (the hand route has no limiter either)
//   POST /limited/tokens/call  the binding with its default rate limiter on, at a max that never triggers
// Started by http.mjs through fork() (an IPC channel); not meant to be run by hand:
//   node src/http-server.mjs express|fastify
// IPC: it sends { type: 'ready', port }; it answers { type: 'stats', id } with process.cpuUsage() and the event loop's
// utilization, so the parent can measure server CPU per request; { type: 'exit' } closes and exits (which also
// writes a --cpu-prof profile). It exits by itself when the parent goes away.
import http from 'node:http'
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import { createTokenService, isCallTokenError } from '@calltoken/core'
import { stream } from '@calltoken/stream'
import { STREAM } from './lib/fixtures.mjs'

const require = createRequire(import.meta.url)
const framework = process.argv[2]

export const BARE = Object.freeze({ ok: true, service: 'calltoken' })
const BODY_LIMIT = 16 * 1024 // the bindings' limit too

// One provider for every route, so the hand route and the binding sign with the same key and minter.
const provider = stream({ apiKey: STREAM.apiKey, apiSecret: STREAM.apiSecret })
const service = createTokenService({ provider })
// Anonymous routes give only the roles they list: the load body asks for moderator. No refresh tokens, so the binding
// answers what the hand route answers and the two do the same work (a refresh token is one more HMAC per answer).
const bindingOptions = { provider, allowAnonymous: { roles: ['moderator'] }, refresh: false }

// ---- The hand-written route's own code: the same in both frameworks --------------------------------------------

// Stream's charsets (and its 255-character limit); ':' is not allowed in a call id, as it separates "<type>:<id>".
const USER_ID = /^[A-Za-z0-9@_-]{1,255}$/
const CALL_ID = /^[A-Za-z0-9_-]{1,255}$/
const ROLES = new Set(['admin', 'moderator', 'member'])
const FIELDS = new Set(['userId', 'callId', 'role', 'validityInSeconds'])

/** A strict check of a parsed body: undefined when it is fine, else what is wrong. */
function callBodyProblem(body) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON object'
  for (const key of Object.keys(body)) if (!FIELDS.has(key)) return `unknown field "${key}"`
  const { userId, callId, role, validityInSeconds } = body
  if (typeof userId !== 'string' || !USER_ID.test(userId)) return 'userId must be 1-255 letters, digits, @, _ or -'
  if (typeof callId !== 'string' || !CALL_ID.test(callId)) return 'callId must be 1-255 letters, digits, _ or -'
  if (role !== undefined && !ROLES.has(role)) return 'role must be admin, moderator or member'
  if (validityInSeconds !== undefined && !(Number.isInteger(validityInSeconds) && validityInSeconds >= 60 && validityInSeconds <= 86_400)) {
    return 'validityInSeconds must be a whole number from 60 to 86400'
  }
  return undefined
}

/** The same answer as the binding's: { success: true, data: { token, userId, callId, callType, role, validityInSeconds, expiresAt, ...connect } }. */
function answer(issued) {
  const { token, userId, callId, callType, role, validityInSeconds, expiresAt, connect } = issued
  return { success: true, data: { token, userId, callId, callType, role, validityInSeconds, expiresAt: expiresAt.toISOString(), ...connect } }
}

const failure = (error) => ({ success: false, error })

// ---- Express 5 -------------------------------------------------------------------------------------------------

async function expressServer() {
  const { default: express } = await import('express')
  const { createCallTokenRouter } = await import('@calltoken/express')
  const app = express() // defaults kept (weak ETag, X-Powered-By) for every route alike

  app.get('/bare', (_req, res) => {
    res.json(BARE)
  })

  app.post('/hand/tokens/call', express.json({ limit: BODY_LIMIT }), async (req, res) => {
    res.set('Cache-Control', 'no-store')
    const problem = callBodyProblem(req.body)
    if (problem) return void res.status(400).json(failure(problem))
    try {
      res.json(answer(await service.createCallToken(req.body)))
    } catch (error) {
      if (!isCallTokenError(error)) throw error
      res.status(error.status).json(failure(error.message))
    }
  })

  app.use('/api', createCallTokenRouter({ ...bindingOptions, rateLimit: false }))
  app.use('/limited', createCallTokenRouter({ ...bindingOptions, rateLimit: { max: 1e9 } }))

  // express.json()'s errors (malformed JSON, too large) as JSON answers rather than Express's HTML page.
  app.use((error, _req, res, next) => {
    if (!(error?.status >= 400 && error.status < 500)) return next(error)
    res.status(error.status).set('Cache-Control', 'no-store').json(failure(error.type === 'entity.parse.failed' ? 'Malformed JSON body' : error.message))
  })

  const server = http.createServer(app)
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  return { port: server.address().port, version: require('express/package.json').version, close: () => new Promise((r) => server.close(r)) }
}

// ---- Fastify 5 -------------------------------------------------------------------------------------------------

async function fastifyServer() {
  const { default: Fastify } = await import('fastify')
  const { callTokenRoutes } = await import('@calltoken/fastify')
  const app = Fastify({ logger: false })

  // Fastify's own 4xx errors (malformed JSON, unsupported type, too large) in the same envelope. The binding's
  // plugin has its own error handler.
  app.setErrorHandler((error, _request, reply) => {
    const status = error.statusCode ?? 500
    if (status < 400 || status >= 500) throw error
    return reply.code(status).header('cache-control', 'no-store').send(failure(error.message))
  })

  app.get('/bare', async () => BARE)

  app.post('/hand/tokens/call', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    reply.header('cache-control', 'no-store')
    const problem = callBodyProblem(request.body)
    if (problem) return reply.code(400).send(failure(problem))
    try {
      return answer(await service.createCallToken(request.body))
    } catch (error) {
      if (!isCallTokenError(error)) throw error
      return reply.code(error.status).send(failure(error.message))
    }
  })

  await app.register(callTokenRoutes, { ...bindingOptions, prefix: '/api', rateLimit: false })
  await app.register(callTokenRoutes, { ...bindingOptions, prefix: '/limited', rateLimit: { max: 1e9 } })

  await app.listen({ port: 0, host: '127.0.0.1' })
  return { port: app.server.address().port, version: require('fastify/package.json').version, close: () => app.close() }
}

// ---- Process control -------------------------------------------------------------------------------------------

const SERVERS = { express: expressServer, fastify: fastifyServer }

if (typeof process.send !== 'function') {
  console.error('http-server.mjs is started by http.mjs (it needs an IPC channel): node src/http.mjs')
  process.exit(2)
}
process.on('disconnect', () => process.exit(0)) // the parent is gone: never outlive it

try {
  if (!SERVERS[framework]) throw new Error(`unknown framework ${JSON.stringify(framework)}; express or fastify`)
  const server = await SERVERS[framework]()
  process.on('message', (message) => {
    if (message?.type === 'stats') {
      process.send({ type: 'stats', id: message.id, cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), hrUs: Number(process.hrtime.bigint() / 1000n) })
    } else if (message?.type === 'exit') {
      const timer = setTimeout(() => process.exit(0), 2000)
      server.close().finally(() => {
        clearTimeout(timer)
        process.exit(0)
      })
    }
  })
  process.send({ type: 'ready', port: server.port, framework, version: server.version })
} catch (error) {
  process.send({ type: 'error', message: error?.stack ?? String(error) }, () => process.exit(1))
}
