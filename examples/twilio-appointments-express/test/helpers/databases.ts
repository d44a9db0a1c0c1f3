import { randomBytes } from 'node:crypto'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { describe, inject, it } from 'vitest'
import type { DatabaseConfig } from '../../src/config'
import { openDatabase, type Database } from '../../src/db/client'

export type DatabaseKind = 'pglite' | 'postgres'

/** A fresh, empty database for one suite: a temp PGlite directory, or a new schema on TEST_DATABASE_URL. */
export interface TestDatabase {
  readonly kind: DatabaseKind
  readonly config: DatabaseConfig
  readonly database: Database
  /** Closes the connection and opens the same data again, as a restarted app would. */
  reopen(): Promise<Database>
  /** Closes it and deletes the directory or drops the schema. */
  cleanup(): Promise<void>
}

const POSTGRES_URL = process.env.TEST_DATABASE_URL

export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  return kind === 'pglite' ? openPglite() : openPostgres()
}

async function openPglite(): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'twilio-appointments-'))
  // A copy of an initialised, empty data directory: the same as a fresh one, without initdb's ~10 s.
  await cp(inject('pgliteTemplateDir'), dataDir, { recursive: true })
  const config: DatabaseConfig = { kind: 'pglite', dataDir }
  let database = await openDatabase(config)
  return {
    kind: 'pglite',
    config,
    get database() {
      return database
    },
    async reopen() {
      await database.close()
      return (database = await openDatabase(config))
    },
    async cleanup() {
      await database.close().catch(() => undefined)
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

async function openPostgres(): Promise<TestDatabase> {
  const url = POSTGRES_URL!
  const schema = `app_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`CREATE SCHEMA ${schema}`)
  await admin.end()
  const config: DatabaseConfig = { kind: 'postgres', url }
  let database = await openDatabase(config, { searchPath: schema })
  return {
    kind: 'postgres',
    config,
    get database() {
      return database
    },
    async reopen() {
      await database.close()
      return (database = await openDatabase(config, { searchPath: schema }))
    },
    async cleanup() {
      await database.close().catch(() => undefined)
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await client.end()
    },
  }
}

let warned = false

/**
 * Runs `suite` once against PGlite and once against PostgreSQL (TEST_DATABASE_URL). Without TEST_DATABASE_URL the
 * PostgreSQL run is skipped with a warning, except under CI, where that is a failure.
 */
export function describeEachDatabase(title: string, suite: (kind: DatabaseKind) => void): void {
  describe(`${title} [PGlite]`, () => suite('pglite'))
  if (POSTGRES_URL) {
    describe(`${title} [PostgreSQL]`, () => suite('postgres'))
  } else if (process.env.CI) {
    describe(`${title} [PostgreSQL]`, () => {
      it('needs TEST_DATABASE_URL', () => {
        throw new Error('TEST_DATABASE_URL is not set: CI must run the PostgreSQL variant of every database test')
      })
    })
  } else {
    if (!warned) {
      warned = true
      console.warn(
        '\n⚠️  TEST_DATABASE_URL is not set: the PostgreSQL variants of the database tests are SKIPPED.\n' +
          '   Run them with TEST_DATABASE_URL=postgres://user:password@127.0.0.1:5432/db (each run creates and drops its own schema).\n',
      )
    }
    describe.skip(`${title} [PostgreSQL]`, () => suite('postgres'))
  }
}
