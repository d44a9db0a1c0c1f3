import { randomBytes } from 'node:crypto'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { inject } from 'vitest'

/** The environment that points the app at one fresh, empty database. */
export interface TestDatabase {
  readonly env: Readonly<Record<string, string>>
  /** Drops the schema (PostgreSQL) or deletes the data directory (PGlite). */
  cleanup(): Promise<void>
}

export interface DatabaseVariant {
  readonly name: 'pglite' | 'postgres'
  create(): Promise<TestDatabase>
}

const pglite: DatabaseVariant = {
  name: 'pglite',
  async create() {
    const dir = await mkdtemp(join(tmpdir(), 'stream-express-'))
    // A copy of the template global-setup.ts made: a fresh database without initdb's seconds.
    await cp(inject('pgliteTemplate'), dir, { recursive: true })
    return { env: { PGLITE_DATA_DIR: dir }, cleanup: () => rm(dir, { recursive: true, force: true }) }
  },
}

/** Each run gets its own schema (search_path via the URL's `options`), dropped afterwards. */
function postgres(url: string): DatabaseVariant {
  return {
    name: 'postgres',
    async create() {
      const schema = `app_${randomBytes(6).toString('hex')}`
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      try {
        await admin.query(`create schema ${schema}`)
      } finally {
        await admin.end()
      }
      const withSchema = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`
      return {
        env: { DATABASE_URL: withSchema },
        async cleanup() {
          const client = new pg.Client({ connectionString: url })
          await client.connect()
          try {
            await client.query(`drop schema if exists ${schema} cascade`)
          } finally {
            await client.end()
          }
        },
      }
    },
  }
}

// CI provides TEST_DATABASE_URL: there, a missing one fails every PostgreSQL suite instead of skipping it.
const missingInCi: DatabaseVariant = {
  name: 'postgres',
  create: () => Promise.reject(new Error('TEST_DATABASE_URL is not set, but CI must run the PostgreSQL suites too')),
}

function variants(): DatabaseVariant[] {
  const url = process.env.TEST_DATABASE_URL
  if (url) return [pglite, postgres(url)]
  // global-setup.ts warns (once) that the PostgreSQL variant is skipped.
  return process.env.CI ? [pglite, missingInCi] : [pglite]
}

export const databaseVariants: readonly DatabaseVariant[] = variants()
