import type { AddressInfo } from 'node:net'
import type { AgoraProvider } from '@calltoken/agora'
import { FIXED_NOW_MS } from '@calltoken/test-kit'
import { buildApp, maskedUrl } from '../../src/app.ts'
import { loadConfig, type Config } from '../../src/config.ts'
import { openDatabase, type Database } from '../../src/db/client.ts'
import { migrate } from '../../src/db/migrator.ts'
import { createLogger } from '../../src/logger.ts'
import { publicIdOf } from '../../src/public-id.ts'
import { signSessionJwt } from '../../src/session-jwt.ts'
import type { TestStore } from './backends.ts'

/** The app's clock in tests: starts at a fixed instant and only moves when told to. */
export class TestClock {
  constructor(public ms: number = FIXED_NOW_MS) {}
  readonly now = () => new Date(this.ms)
  set(iso: string) {
    this.ms = Date.parse(iso)
  }
  advance(seconds: number) {
    this.ms += seconds * 1000
  }
}

export interface ApiResponse {
  status: number
  headers: Headers
  body: any
  text: string
}

export interface RequestOptions {
  /** A session JWT, sent as `Authorization: Bearer …`. */
  token?: string
  body?: unknown
  headers?: Record<string, string>
}

export interface TestServer {
  readonly baseUrl: string
  readonly config: Config
  readonly database: Database
  readonly clock: TestClock
  /** Every log line the app wrote, as raw JSON text. */
  readonly logs: string[]
  readonly publicIdOf: (id: number) => string
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>
  /** Closes the database under the running app (health checks); close() then skips it. */
  closeDatabase(): Promise<void>
  close(): Promise<void>
}

let lastUserId = 1000 + Math.floor(Math.random() * 1000) * 1000

/** A user id no other test in this run uses, so tests never share rate-limit budgets or memberships. */
export const newUserId = () => ++lastUserId

export const TEST_ENV = { NODE_ENV: 'test', LOG_LEVEL: 'info' } as const

/** Opens and migrates the store, builds the real app, and listens on 127.0.0.1:0. */
export async function startServer(store: TestStore, options: { clock?: TestClock; provider?: AgoraProvider<'uid'> } = {}): Promise<TestServer> {
  const config = loadConfig({ ...TEST_ENV })
  const database = await openDatabase(store.options)
  await migrate(database.db)
  const logs: string[] = []
  const toPublicId = publicIdOf(config.publicIdSecret)
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(line) }, maskUrl: maskedUrl(toPublicId) })
  const clock = options.clock ?? new TestClock()
  const app = await buildApp({ config, database, logger, clock: clock.now, ...(options.provider ? { provider: options.provider } : {}) })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  const baseUrl = `http://127.0.0.1:${port}`
  let databaseOpen = true
  const closeDatabase = async () => {
    if (!databaseOpen) return
    databaseOpen = false
    await database.close()
  }

  return {
    baseUrl,
    config,
    database,
    clock,
    logs,
    publicIdOf: toPublicId,
    async request(method, path, { token, body, headers = {} } = {}) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      })
      const text = await response.text()
      let parsed: unknown
      try {
        parsed = text === '' ? undefined : JSON.parse(text)
      } catch {
        parsed = undefined
      }
      return { status: response.status, headers: response.headers, body: parsed, text }
    },
    closeDatabase,
    async close() {
      await app.close()
      await closeDatabase()
    },
  }
}

/** A session JWT for `userId`, signed like `pnpm token` signs them. */
export function sessionToken(server: TestServer, userId: number, roles: readonly string[] = ['member']): Promise<string> {
  return signSessionJwt(userId, roles, server.config.jwt)
}

export interface TestUser {
  readonly id: number
  readonly token: string
}

export async function newUser(server: TestServer, roles: readonly string[] = ['member']): Promise<TestUser> {
  const id = newUserId()
  return { id, token: await sessionToken(server, id, roles) }
}

/** Creates a call as `host` and returns its id and channel name. */
export async function createCall(server: TestServer, host: TestUser, body: Record<string, unknown> = {}) {
  const response = await server.request('POST', '/api/calling/create', { token: host.token, body: { title: 'Weekly Team Meeting', ...body } })
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${response.text}`)
  return response.body as { callId: number; channelName: string; title: string; isPublic: boolean; maxParticipants: number }
}
