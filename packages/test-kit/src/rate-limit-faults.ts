import type { CallTokenProvider } from '@calltoken/core'
import type { CallTokenRouteOptions } from '@calltoken/core/http'
import { Redis } from 'ioredis'
import { afterEach, expect, it } from 'vitest'
import type { ContractClient, MakeContractClient } from './http-contract'
import { describeWithRedisServer, spawnRedisServer, type RedisServerProcess } from './redis-server'
import { requestHeader, type RequestWithSomeHeaders } from './request-header'

export interface RateLimitFaultOptions {
  /** The framework's name, in the suite's title. */
  readonly framework: string
  /** Any adapter: the suite is about the rate limit, not the token. */
  readonly provider: CallTokenProvider
  /** The binding's app with the built-in routes under `prefix`, as for the HTTP contract. */
  readonly makeClient: MakeContractClient
}

interface LogLine {
  readonly level: 'error' | 'warn'
  readonly message: string
}

const MAX = 5

/**
 * What the token routes do when their Redis fails, the same in every binding: a real redis-server that the suite
 * stops before the app starts, kills and restarts while it serves, and pauses (SIGSTOP) and resumes; two app
 * instances sharing one Redis under a concurrent burst. Each app talks to Redis through an ioredis client with its
 * default options, as an app would.
 *
 * @example
 * runRateLimitStoreFaults({ framework: 'express', provider, makeClient })
 */
export function runRateLimitStoreFaults({ framework, provider, makeClient }: RateLimitFaultOptions): void {
  describeWithRedisServer(`${framework}: the rate limit when Redis fails`, () => {
    const cleanup: (() => Promise<unknown> | void)[] = []
    afterEach(async () => {
      for (const step of cleanup.splice(0).reverse()) await step()
    })

    const authenticate = (req: RequestWithSomeHeaders) => {
      const id = requestHeader(req, 'x-test-user')
      return id === undefined ? null : { userId: id }
    }

    async function server(started = true): Promise<RedisServerProcess> {
      const redis = await spawnRedisServer({ started })
      cleanup.push(() => redis.stop())
      return redis
    }

    /** One app instance with its own ioredis client (default options) and a logger the test reads. */
    async function app(redis: RedisServerProcess, rateLimit: Partial<NonNullable<Exclude<CallTokenRouteOptions['rateLimit'], false>>> = {}) {
      const client = new Redis(redis.url)
      client.on('error', () => undefined) // ioredis reports each failed reconnect; the routes' logger is what is tested
      cleanup.push(() => client.disconnect())
      const lines: LogLine[] = []
      const logger = {
        error: (_details: Record<string, unknown>, message: string) => void lines.push({ level: 'error', message }),
        warn: (_details: Record<string, unknown>, message: string) => void lines.push({ level: 'warn', message }),
      }
      const http = await makeClient({ provider, authenticate, logger, rateLimit: { max: MAX, windowMs: 60_000, redis: client, prefix: 'calltoken-faults:', ...rateLimit } }, '/api')
      cleanup.push(() => http.close())
      return { http, lines }
    }

    const ask = (http: ContractClient, user = 'alice') => http.post('/api/tokens/user', { headers: { 'x-test-user': user }, body: provider.limits.userTokenNeedsCall ? { callId: 'standup' } : {} })

    /** Asks until an answer has `status` (the client reconnects with backoff), at most `timeoutMs`. */
    async function until(http: ContractClient, status: number, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs
      let last = 0
      while (Date.now() < deadline) {
        last = (await ask(http, `probe-${Date.now()}`)).status
        if (last === status) return
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      expect(last, `no ${status} within ${timeoutMs} ms`).toBe(status)
    }

    const expectUnavailable = (response: Awaited<ReturnType<typeof ask>>) => {
      expect(response.status).toBe(503)
      expect(response.body).toMatchObject({ success: false, code: 'ERR_CALLTOKEN_RATE_LIMIT_UNAVAILABLE' })
      expect(response.headers['retry-after']).toBe('1')
      expect(response.headers['cache-control']).toBe('no-store')
      expect(JSON.stringify(response.body)).not.toMatch(/eyJ/) // never a token
    }

    it('Redis down when the app starts: 503 with Retry-After at once, then tokens as soon as Redis is up, without a restart', async () => {
      const redis = await server(false)
      const { http, lines } = await app(redis)
      for (let i = 0; i < 3; i++) expectUnavailable(await ask(http))
      await redis.start()
      await until(http, 200)
      expect(lines.map((line) => line.level)).toEqual(['error', 'warn']) // one line when it failed, one when it came back
    })

    it('Redis killed while serving: 503 until it is back, then counted again from an empty store', async () => {
      const redis = await server()
      const { http, lines } = await app(redis)
      expect((await ask(http)).status).toBe(200)
      await redis.stop()
      for (let i = 0; i < 5; i++) expectUnavailable(await ask(http))
      await redis.start()
      await until(http, 200)
      // A new, empty Redis: alice has her whole budget again, and the limit holds.
      const statuses: number[] = []
      for (let i = 0; i <= MAX; i++) statuses.push((await ask(http, 'after-restart')).status)
      expect(statuses).toEqual([...Array(MAX).fill(200), 429])
      expect(lines.map((line) => line.level)).toEqual(['error', 'warn'])
    })

    it('Redis hung (SIGSTOP): each request answers 503 within a second, not when Redis wakes up; SIGCONT recovers', async () => {
      const redis = await server()
      const { http } = await app(redis)
      expect((await ask(http)).status).toBe(200)
      redis.pause()
      try {
        const started = Date.now()
        expectUnavailable(await ask(http))
        expect(Date.now() - started).toBeLessThan(1000)
      } finally {
        redis.resume()
      }
      await until(http, 200)
    })

    it('failOpen: true lets requests through uncounted while Redis is down, and logs the outage once', async () => {
      const redis = await server()
      const { http, lines } = await app(redis, { failOpen: true })
      await redis.stop()
      for (let i = 0; i < MAX + 3; i++) expect((await ask(http, 'open')).status).toBe(200)
      expect(lines).toHaveLength(1)
      expect(lines[0]!.message).toMatch(/uncounted/)
    })

    it(`two instances on one Redis let exactly ${MAX} of a concurrent burst of ${3 * MAX} through`, async () => {
      const redis = await server()
      const instances = [await app(redis), await app(redis)]
      const answers = await Promise.all(Array.from({ length: 3 * MAX }, (_, i) => ask(instances[i % 2]!.http, 'burst')))
      const statuses = answers.map((answer) => answer.status)
      expect(statuses.filter((status) => status === 200)).toHaveLength(MAX)
      expect(statuses.filter((status) => status === 429)).toHaveLength(2 * MAX)
    })
  })
}
