// src/main.ts and the token script as real processes: what `pnpm dev` / `pnpm token` run.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { eq } from 'drizzle-orm'
import { jwtVerify } from 'jose'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config'
import { openDatabase } from '../src/db/client'
import { issuedTokens } from '../src/db/schema'
import { DEMO } from '../src/demo-credentials'
import { databaseVariants } from './support/databases'

const APP_DIR = fileURLToPath(new URL('..', import.meta.url))

interface Proc {
  readonly child: ChildProcess
  readonly output: () => string
  readonly exited: Promise<number | null>
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
}

const running: Proc[] = []

/** Runs a script of the app with tsx, in a clean environment (nothing inherited but PATH and HOME). */
function run(script: string, env: Record<string, string>, args: string[] = []): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: APP_DIR,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const listeners = new Set<() => void>()
  const append = (chunk: Buffer) => {
    output += chunk.toString()
    for (const listener of listeners) listener()
  }
  child.stdout!.on('data', append)
  child.stderr!.on('data', append)
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  const proc: Proc = {
    child,
    output: () => output,
    exited,
    waitFor: (pattern, timeoutMs = 40_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern)
          if (!match) return
          listeners.delete(check)
          clearTimeout(timer)
          resolve(match)
        }
        const timer = setTimeout(() => {
          listeners.delete(check)
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${output}`))
        }, timeoutMs)
        listeners.add(check)
        check()
      }),
  }
  running.push(proc)
  return proc
}

afterEach(async () => {
  for (const proc of running.splice(0)) {
    if (proc.child.exitCode === null && proc.child.signalCode === null) {
      proc.child.kill('SIGKILL')
      await proc.exited
    }
  }
})

describe('main.ts', () => {
  it('exits 1 listing every invalid variable at once', async () => {
    const proc = run('src/main.ts', { NODE_ENV: 'development', PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' })
    expect(await proc.exited).toBe(1)
    expect(proc.output()).toContain('Invalid configuration:')
    expect(proc.output()).toContain('  - PORT: must be a whole number')
    expect(proc.output()).toContain('  - LOG_LEVEL: must be one of')
    expect(proc.output()).toContain('  - DATABASE_URL: must be a postgres:// or postgresql:// connection URL')
  })

  it('refuses to start in production on the demo credentials', async () => {
    const proc = run('src/main.ts', { NODE_ENV: 'production', STREAM_API_SECRET: DEMO.stream.apiSecret })
    expect(await proc.exited).toBe(1)
    expect(proc.output()).toContain('STREAM_API_KEY: is required when NODE_ENV=production')
    expect(proc.output()).toContain('STREAM_API_SECRET: is the documented demo value, refused when NODE_ENV=production')
    expect(proc.output()).toContain('SESSION_JWT_SECRET: is required when NODE_ENV=production')
  })
})

describe('the token script', () => {
  it('prints a session JWT for the user, signed with the demo secret', async () => {
    const proc = run('src/scripts/token.ts', { NODE_ENV: 'development' }, ['alice', '600'])
    expect(await proc.exited).toBe(0)
    const { payload } = await jwtVerify(proc.output().trim(), new TextEncoder().encode(DEMO.sessionJwtSecret))
    expect(payload.sub).toBe('alice')
    expect(payload.exp! - payload.iat!).toBe(600)
  })

  it('refuses in production, and without a user id', async () => {
    const production = run('src/scripts/token.ts', {
      NODE_ENV: 'production',
      STREAM_API_KEY: 'k7mnp2qrs9tu',
      STREAM_API_SECRET: 'r8f3k2m9q4w7x1z5c6v0b2n8m4l7k3j9h1g5f2d8s6a4',
      SESSION_JWT_SECRET: 'a-long-random-session-secret-0123456789abcdef',
    }, ['alice'])
    expect(await production.exited).toBe(1)
    expect(production.output()).toContain('the token script is for development')
    const usage = run('src/scripts/token.ts', { NODE_ENV: 'development' })
    expect(await usage.exited).toBe(1)
    expect(usage.output()).toContain('usage: token <userId> [ttlSeconds]')
  })
})

describe.each(databaseVariants)('main.ts on $name', (variant) => {
  it('starts on a new database, serves tokens, stops on SIGTERM, and starts again with every row kept', async () => {
    const testDb = await variant.create()
    // PGlite: a directory that does not exist yet, as on a first `pnpm dev`.
    const parent = await mkdtemp(join(tmpdir(), 'stream-express-main-'))
    const env: Record<string, string> = {
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      ...testDb.env,
      ...(variant.name === 'pglite' ? { PGLITE_DATA_DIR: join(parent, 'data', 'pglite') } : {}),
    }
    try {
      const first = run('src/main.ts', env)
      const [, url] = await first.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/)
      expect(first.output()).toContain('"msg":"created the demo users"')
      expect(first.output()).toContain('"msg":"using the documented DEMO credentials')

      const token = run('src/scripts/token.ts', { NODE_ENV: 'development' }, ['bob'])
      expect(await token.exited).toBe(0)
      const response = await fetch(`${url}/api/v1/stream/token`, { method: 'POST', headers: { authorization: `Bearer ${token.output().trim()}` } })
      expect(response.status).toBe(200)
      const { data } = (await response.json()) as { data: { expiresAt: string } }

      first.child.kill('SIGTERM')
      expect(await first.exited).toBe(0)
      expect(first.output()).toContain('"msg":"shutting down"')

      const second = run('src/main.ts', env)
      const [, url2] = await second.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/)
      expect(second.output()).toContain('"msg":"database up to date"')
      expect(second.output()).not.toContain('created the demo users')
      expect((await fetch(`${url2}/api/health`)).status).toBe(200)
      second.child.kill('SIGTERM')
      expect(await second.exited).toBe(0)

      const database = await openDatabase(loadConfig(env).database)
      try {
        const rows = await database.db.select().from(issuedTokens).where(eq(issuedTokens.userId, 'bob'))
        expect(rows.map((r) => r.expiresAt.toISOString())).toEqual([data.expiresAt])
      } finally {
        await database.close()
      }
    } finally {
      await rm(parent, { recursive: true, force: true })
      await testDb.cleanup()
    }
  }, 120_000)
})
