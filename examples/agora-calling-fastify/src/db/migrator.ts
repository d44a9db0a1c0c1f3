import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import { queryRows, type Db } from './client.ts'

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url))

// Any fixed number: two instances starting at once take turns instead of both applying a migration.
const MIGRATION_LOCK = 7_003_003

/** Statements in one file are separated by this line (the drizzle-kit convention), since PGlite prepares one statement at a time. */
const BREAKPOINT = /^\s*-->\s*statement-breakpoint\s*$/m

/**
 * Applies `NNNN_name.sql` files in name order, each once, recording them in `schema_migrations`.
 * Everything runs in one transaction: a failing migration leaves the database as it was.
 * Returns the names applied by this call.
 */
export async function migrate(db: Db, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir)).filter((name) => /^\d{4}_[\w-]+\.sql$/.test(name)).sort()
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`select pg_advisory_xact_lock(${MIGRATION_LOCK})`))
    await tx.execute(sql`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`)
    const done = new Set((await queryRows<{ name: string }>(tx, sql`select name from schema_migrations`)).map((r) => r.name))
    const applied: string[] = []
    for (const name of files) {
      if (done.has(name)) continue
      const text = await readFile(`${dir}/${name}`, 'utf8')
      for (const statement of text.split(BREAKPOINT)) {
        if (statement.replace(/--.*$/gm, '').trim() !== '') await tx.execute(sql.raw(statement))
      }
      await tx.execute(sql`insert into schema_migrations (name) values (${name})`)
      applied.push(name)
    }
    return applied
  })
}
