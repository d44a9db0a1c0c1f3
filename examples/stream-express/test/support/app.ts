import type { CallTokenProvider } from '@calltoken/core'
import { loadConfig, type Config } from '../../src/config'
import { DEMO } from '../../src/demo-credentials'
import { startServer, type RunningServer } from '../../src/server'
import { signSessionJwt } from '../../src/session-jwt'
import type { DatabaseVariant, TestDatabase } from './databases'

export interface TestResponse {
  readonly status: number
  readonly headers: Headers
  readonly body: any
  readonly text: string
}

export interface RequestOptions {
  /** Sent as JSON (with Content-Type: application/json), or as is when a string. */
  readonly body?: unknown
  /** A session JWT for `Authorization: Bearer`. */
  readonly jwt?: string
  readonly headers?: Record<string, string>
}

export interface TestApp {
  readonly server: RunningServer
  readonly config: Config
  readonly url: string
  /** Every log line the app wrote. */
  readonly logs: string[]
  post(path: string, options?: RequestOptions): Promise<TestResponse>
  get(path: string, options?: RequestOptions): Promise<TestResponse>
  /** A session JWT for `userId`, signed with the app's secret. */
  jwt(userId: string, options?: { expiresInSeconds?: number; secret?: string }): Promise<string>
  close(): Promise<void>
}

export interface TestAppOptions {
  readonly env?: Record<string, string>
  readonly provider?: CallTokenProvider
  readonly now?: () => number
}

/** The real server on 127.0.0.1, port 0, on the given database; requests go over HTTP with fetch. */
export async function startTestApp(database: TestDatabase, options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', RATE_LIMIT_MAX: '1000', ...database.env, ...options.env })
  const logs: string[] = []
  const server = await startServer(config, {
    ...(options.provider ? { provider: options.provider } : {}),
    ...(options.now ? { now: options.now } : {}),
    logDestination: { write: (line: string) => void logs.push(line) },
  })

  const request = async (method: string, path: string, { body, jwt, headers = {} }: RequestOptions = {}): Promise<TestResponse> => {
    const init: RequestInit = { method, headers: { ...headers } }
    const h = init.headers as Record<string, string>
    if (jwt !== undefined) h.authorization = `Bearer ${jwt}`
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body)
      if (typeof body !== 'string') h['content-type'] ??= 'application/json'
    }
    const response = await fetch(`${server.url}${path}`, init)
    const text = await response.text()
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
    return { status: response.status, headers: response.headers, body: parsed, text }
  }

  return {
    server,
    config,
    url: server.url,
    logs,
    post: (path, o) => request('POST', path, o),
    get: (path, o) => request('GET', path, o),
    jwt: (userId, o = {}) =>
      signSessionJwt({ secret: o.secret ?? config.session.jwtSecret, userId, ...(o.expiresInSeconds !== undefined ? { expiresInSeconds: o.expiresInSeconds } : {}) }),
    close: () => server.close(),
  }
}

/** Every credential that must never appear in a response or a log line. */
export const SECRETS = [DEMO.stream.apiSecret, DEMO.sessionJwtSecret]

/** Decodes a JWT payload without verifying it (the tests verify with the provider). */
export function jwtPayload(token: string): Record<string, unknown> {
  const [, payload] = token.split('.')
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>
}

/**
 * A separate app on its own fresh database for one test (two PGlite instances must never share a data directory).
 */
export async function withApp<T>(variant: DatabaseVariant, options: TestAppOptions, run: (app: TestApp) => Promise<T>): Promise<T> {
  const database = await variant.create()
  try {
    const app = await startTestApp(database, options)
    try {
      return await run(app)
    } finally {
      await app.close()
    }
  } finally {
    await database.cleanup()
  }
}
