// One binding on 127.0.0.1 with all six providers, each under /<provider>: the token routes (bearer JWT, refresh,
// default rate limit raised so the fuzz is not all 429s) and the provider's webhook route. Started by fuzz.mjs:
//   node src/binding-server.mjs express|fastify|fetch
// Prints "READY <port>" on stdout; logs (the routes' logger) go to stderr as JSON lines; an unhandled rejection or
// exception is printed as "UNHANDLED <kind>" on stderr and counted by the runner.
import http from 'node:http'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { bearerJwt } from '@calltoken/core/http'
import { providers, SESSION_SECRET, WEBHOOK_SECRETS } from './fixtures.mjs'

process.on('unhandledRejection', (error) => process.stderr.write(`UNHANDLED rejection ${String(error?.message ?? error).slice(0, 200)}\n`))
process.on('uncaughtException', (error) => process.stderr.write(`UNHANDLED exception ${String(error?.message ?? error).slice(0, 200)}\n`))

const framework = process.argv[2]
const logger = {
  error: (details, message) => process.stderr.write(`${JSON.stringify({ level: 'error', message, ...details })}\n`),
  warn: (details, message) => process.stderr.write(`${JSON.stringify({ level: 'warn', message, ...details })}\n`),
}
const all = providers()
const optionsFor = (provider) => ({
  provider,
  authenticate: bearerJwt({ secret: SESSION_SECRET }),
  logger,
  rateLimit: { max: 1_000_000 },
  ...(provider.id === 'stream' ? { clientCallIds: true } : {}),
})
const webhookFor = (provider) => ({ provider, ...(WEBHOOK_SECRETS[provider.id] ? { secret: WEBHOOK_SECRETS[provider.id] } : {}), onEvent: () => {} })

async function expressServer() {
  const { default: express } = await import('express')
  const { createCallTokenRouter, webhookHandler } = await import('@calltoken/express')
  const app = express()
  for (const provider of Object.values(all)) {
    app.post(`/${provider.id}/webhooks`, webhookHandler(webhookFor(provider)))
    app.use(`/${provider.id}`, createCallTokenRouter(optionsFor(provider)))
  }
  app.use((error, _req, res, _next) => {
    logger.error({ error: String(error?.message ?? error) }, 'framework error handler')
    res.status(500).json({ success: false, error: 'Internal server error' })
  })
  return http.createServer(app)
}

async function fastifyServer() {
  const { default: Fastify } = await import('fastify')
  const { callTokenRoutes, webhookRoute } = await import('@calltoken/fastify')
  const app = Fastify()
  for (const provider of Object.values(all)) {
    await app.register(callTokenRoutes, { ...optionsFor(provider), prefix: `/${provider.id}` })
    await app.register(webhookRoute, { ...webhookFor(provider), path: `/${provider.id}/webhooks` })
  }
  await app.ready()
  return app.server
}

async function fetchServer() {
  const { createFetchHandler, createFetchWebhookHandler } = await import('@calltoken/fetch')
  const handlers = Object.values(all).map((provider) => ({
    id: provider.id,
    tokens: createFetchHandler({ ...optionsFor(provider), prefix: `/${provider.id}` }),
    webhook: createFetchWebhookHandler(webhookFor(provider)),
  }))
  return http.createServer(async (req, res) => {
    try {
      const chunks = []
      for await (const chunk of req) chunks.push(chunk)
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const headers = new Headers()
      for (const [name, value] of Object.entries(req.headers)) for (const v of [value].flat()) if (v !== undefined) headers.append(name, v)
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks)
      const request = new Request(url, { method: req.method, headers, body })
      const target = handlers.find((h) => url.pathname.startsWith(`/${h.id}/`))
      const response = !target ? new Response('{"error":"not found"}', { status: 404 }) : url.pathname === `/${target.id}/webhooks` ? await target.webhook(request) : await target.tokens(request)
      res.writeHead(response.status, Object.fromEntries(response.headers))
      res.end(Buffer.from(await response.arrayBuffer()))
    } catch (error) {
      logger.error({ error: String(error?.message ?? error) }, 'host error handler')
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
      res.end('{"error":"Internal server error"}')
    }
  })
}

const make = { express: expressServer, fastify: fastifyServer, fetch: fetchServer }[framework]
if (!make) throw new Error(`binding-server: unknown framework ${framework}`)
const server = await make()
server.listen(0, '127.0.0.1', () => process.stdout.write(`READY ${server.address().port}\n`))

// For the soak: the process's own figures on a port of their own (so they never queue behind the load), printed as
// "STATS <port>". Each GET answers the event-loop delay since the last one, and the memory now.
const delay = monitorEventLoopDelay({ resolution: 10 })
delay.enable()
const stats = http.createServer((_req, res) => {
  const ms = (ns) => Math.round(ns / 1e4) / 100
  const { rss, heapUsed } = process.memoryUsage()
  res.end(JSON.stringify({ delayP50Ms: ms(delay.percentile(50)), delayP99Ms: ms(delay.percentile(99)), delayMaxMs: ms(delay.max), rssMb: Math.round(rss / 1e5) / 10, heapMb: Math.round(heapUsed / 1e5) / 10 }))
  delay.reset()
})
stats.listen(0, '127.0.0.1', () => process.stdout.write(`STATS ${stats.address().port}\n`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
