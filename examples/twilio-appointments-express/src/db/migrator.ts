import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Database } from './client'

export interface Migration {
  /** The file name, e.g. 0001_init.sql; migrations run in the order of their names. */
  readonly name: string
  readonly sql: string
  readonly checksum: string
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url))
const MIGRATION_FILE = /^\d{4}_[a-z0-9_]+\.sql$/

// Any constant works: it only has to be the same for every instance of this app that shares a database.
const MIGRATION_LOCK_ID = 4_004_004_004

export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((name) => MIGRATION_FILE.test(name)).sort()
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(`${dir}/${name}`, 'utf8')
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') }
    }),
  )
}

/**
 * Applies the pending migrations in one transaction and records them in schema_migrations. An advisory lock makes
 * instances that start together take turns; a failing migration rolls back entirely; an applied migration whose file
 * changed since stops the start (edit the schema with a new file instead).
 * @returns the names of the migrations applied now
 */
export async function migrate(database: Pick<Database, 'transaction'>, migrations?: readonly Migration[]): Promise<string[]> {
  const files = migrations ?? (await readMigrations())
  return database.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID])
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`)
    const applied = new Map(
      (await tx.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations')).map((row) => [row.name, row.checksum]),
    )
    const appliedNow: string[] = []
    for (const migration of files) {
      const checksum = applied.get(migration.name)
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) throw new Error(`Migration ${migration.name} was changed after it was applied; add a new migration instead`)
        continue
      }
      await tx.exec(migration.sql)
      await tx.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [migration.name, migration.checksum])
      appliedNow.push(migration.name)
    }
    return appliedNow
  })
}
