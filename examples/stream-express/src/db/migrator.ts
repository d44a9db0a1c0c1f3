import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import type { Db } from './client'

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url))

const FILE = /^\d{4}_[a-z0-9_-]+\.sql$/
const BREAKPOINT = /^\s*-->\s*statement-breakpoint\s*$/m
// Any constant works; it only has to be the same in every instance of this app.
const MIGRATION_LOCK = 7_302_468_001

export interface Migration {
  readonly name: string
  readonly statements: readonly string[]
  readonly checksum: string
}

export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((name) => FILE.test(name)).sort()
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(`${dir}/${name}`, 'utf8')
      const statements = text.split(BREAKPOINT).filter((s) => s.replace(/--.*$/gm, '').trim() !== '')
      return { name, statements, checksum: createHash('sha256').update(text).digest('hex') }
    }),
  )
}

/**
 * Applies the pending migrations in name order, in one transaction, and records each in schema_migrations.
 * An advisory lock makes instances that start together take turns; a migration edited after it ran stops the start.
 * Returns the names it applied.
 */
export async function migrate(db: Db, migrations?: readonly Migration[]): Promise<string[]> {
  const all = migrations ?? (await readMigrations())
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`select pg_advisory_xact_lock(${MIGRATION_LOCK})`))
    await tx.execute(sql`
      create table if not exists schema_migrations (
        name text primary key,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`)
    const { rows } = (await tx.execute(sql`select name, checksum from schema_migrations`)) as unknown as {
      rows: { name: string; checksum: string }[]
    }
    const applied = new Map(rows.map((row) => [row.name, row.checksum]))
    const done: string[] = []
    for (const migration of all) {
      const checksum = applied.get(migration.name)
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(`Migration ${migration.name} was changed after it was applied; add a new migration instead`)
        }
        continue
      }
      for (const statement of migration.statements) await tx.execute(sql.raw(statement))
      await tx.execute(sql`insert into schema_migrations (name, checksum) values (${migration.name}, ${migration.checksum})`)
      done.push(migration.name)
    }
    return done
  })
}
