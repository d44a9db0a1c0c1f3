import { configError } from '../errors'
import { DEFAULT_RATE_LIMIT_PREFIX } from './rate-limit'
import type { RateLimitHit, RateLimitStore } from './rate-limit-store'

/**
 * The Redis surface the store needs: ioredis' `call` (preferred when present), or an ioredis-style
 * `eval(script, numKeys, ...keysAndArgs)`. An ioredis `Redis` or `Cluster` fits as is.
 */
export type RedisEvalClient =
  | { call(command: string, ...args: (string | number)[]): Promise<unknown> }
  | { eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown> }

export interface RedisRateLimitStoreOptions {
  /** Prepended to every key. Default "calltoken:rl:". */
  readonly prefix?: string
}

/**
 * One atomic round trip: count the hit, start the window on the first one, answer the count and the time left.
 * A key without an expiry (PTTL -1: left by a crash between INCR and PEXPIRE under another client, or set by hand)
 * is given one, so it can never lock a client out for good.
 */
const RATE_LIMIT_SCRIPT = `local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`

/**
 * True when `value` has the `call` or `eval` function {@link redisRateLimitStore} needs.
 *
 * @example
 * ```ts
 * if (!isRedisEvalClient(options.redis)) throw configError('rateLimit.redis must be an ioredis client')
 * ```
 */
export function isRedisEvalClient(value: unknown): value is RedisEvalClient {
  if (typeof value !== 'object' || value === null) return false
  const client = value as { call?: unknown; eval?: unknown }
  return typeof client.call === 'function' || typeof client.eval === 'function'
}

/**
 * A fixed-window store in Redis, shared by every instance that uses the same server and prefix: each hit is one EVAL
 * (INCR, PEXPIRE on the first hit, PTTL), so concurrent hits from any number of instances are counted exactly.
 * The key layout (`<prefix><route>:user:<id>`, an integer with a millisecond expiry) is the one rate-limit-redis used.
 *
 * Redis failures are not hidden: `hit` rejects with the client's error (connection refused, timeout, a key of the
 * wrong type), and the caller decides whether to fail open or closed.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * const store = redisRateLimitStore(new Redis(process.env.REDIS_URL!), { prefix: 'myapp:rl:' })
 * await store.hit('user:user:alice', 60_000) // { count: 1, resetInMs: 60000 }, key "myapp:rl:user:user:alice"
 * ```
 */
export function redisRateLimitStore(client: RedisEvalClient, { prefix = DEFAULT_RATE_LIMIT_PREFIX }: RedisRateLimitStoreOptions = {}): RateLimitStore {
  if (!isRedisEvalClient(client)) throw configError('redisRateLimitStore needs an ioredis client (one with call() or eval())')
  if (typeof prefix !== 'string') throw configError('redisRateLimitStore: prefix must be a string')
  const run =
    'call' in client && typeof client.call === 'function'
      ? (key: string, windowMs: number) => client.call('EVAL', RATE_LIMIT_SCRIPT, 1, key, windowMs)
      : (key: string, windowMs: number) => (client as Extract<RedisEvalClient, { eval: unknown }>).eval(RATE_LIMIT_SCRIPT, 1, key, windowMs)
  return {
    async hit(key, windowMs) {
      return toHit(await run(`${prefix}${key}`, windowMs))
    },
  }
}

function toHit(reply: unknown): RateLimitHit {
  if (Array.isArray(reply) && reply.length === 2) {
    const count = Number(reply[0])
    const ttl = Number(reply[1])
    if (Number.isInteger(count) && Number.isFinite(ttl)) return { count, resetInMs: Math.max(0, ttl) }
  }
  throw new Error(`Unexpected reply from the rate-limit script: ${JSON.stringify(reply)}`)
}
