import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { describeIfPresent } from './needs'

/**
 * The Redis the suites use: `REDIS_URL`, or a server on 127.0.0.1:6379.
 *
 * @example
 * // REDIS_URL=redis://127.0.0.1:6380 npx vitest run
 */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/**
 * A key prefix no other run (or other test file) shares, so parallel runs never count each other's requests.
 *
 * @example
 * const prefix = uniquePrefix('rate-limit') // calltoken-test:rate-limit:<pid>:<uuid>:
 */
export function uniquePrefix(label: string): string {
  return `calltoken-test:${label}:${process.pid}:${randomUUID()}:`
}

/**
 * A client for one app instance; it fails fast instead of queueing when the server goes away.
 *
 * @example
 * const redis = connectRedis()
 * afterAll(() => redis.quit())
 */
export function connectRedis(): Redis {
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 2000 })
  client.on('error', () => undefined) // surfaced by the failing command instead
  return client
}

/** Undefined when a server answers PING, else why not. */
async function probe(): Promise<string | undefined> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null })
  let socketError: Error | undefined // e.g. ECONNREFUSED; connect() itself only says "Connection is closed."
  client.on('error', (error: Error) => (socketError ??= error))
  try {
    await client.connect()
    const pong = await client.ping()
    return pong === 'PONG' ? undefined : `PING answered ${pong}`
  } catch (error) {
    const cause = socketError ?? error
    return cause instanceof Error ? cause.message || cause.name : String(cause)
  } finally {
    client.disconnect()
  }
}

const unavailable = await probe()

/**
 * `describe` for suites that need a real Redis. Without one the suite is skipped with a loud warning,
 * except under CI, where it fails: CI must never pass by silently skipping.
 *
 * @example
 * describeWithRedis('limits shared through Redis', () => {
 *   it('counts across instances', async () => { … })
 * })
 */
export function describeWithRedis(name: string, suite: () => void): void {
  const missing = unavailable === undefined ? undefined : `No Redis answered at ${REDIS_URL} (${unavailable}).`
  describeIfPresent(name, missing, 'Start one with:  redis-server --port 6379 --daemonize yes   (or set REDIS_URL=redis://host:port)', suite)
}

/**
 * Deletes every key under `prefix` (SCAN, not KEYS, so a shared server is not blocked).
 *
 * @example
 * afterEach(() => deleteKeys(redis, prefix))
 */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
    if (keys.length > 0) await client.del(...keys)
    cursor = next
  } while (cursor !== '0')
}

/**
 * The keys under `prefix` (for asserting that the limiter really counted in Redis).
 *
 * @example
 * expect(await keysUnder(redis, prefix)).toEqual([`${prefix}call:user:alice`])
 */
export async function keysUnder(client: Redis, prefix: string): Promise<string[]> {
  const found: string[] = []
  let cursor = '0'
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
    found.push(...keys)
    cursor = next
  } while (cursor !== '0')
  return found.sort()
}

export { describeWithRedisServer, spawnRedisServer, type RedisServerProcess } from './redis-server'
export { runRateLimitStoreFaults, type RateLimitFaultOptions } from './rate-limit-faults'
