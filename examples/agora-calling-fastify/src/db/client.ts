import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { sql, type SQL } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { lockPgliteDir } from './pglite-lock.ts'
import { schema } from './schema.ts'

/** The one database type the app uses; PGlite and node-postgres both provide it. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

export interface Database {
  readonly db: Db
  readonly kind: 'pglite' | 'postgres'
  /** Throws when the database does not answer. */
  ping(): Promise<void>
  close(): Promise<void>
}

export interface DatabaseOptions {
  /** PostgreSQL connection URL; without it, PGlite in `pgliteDir`. */
  url?: string
  pgliteDir?: string
  /** PostgreSQL only: the schema to work in (tests isolate each run in its own). */
  searchPath?: string
  /** Errors of idle pooled connections (e.g. the server restarted); without a listener they crash the process. */
  onPoolError?: (error: Error) => void
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url !== undefined) {
    if (options.searchPath !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.searchPath)) {
      throw new Error('searchPath must be a plain lower-case schema name')
    }
    const pool = new pg.Pool({
      connectionString: options.url,
      max: 10,
      ...(options.searchPath === undefined ? {} : { options: `-c search_path=${options.searchPath}` }),
    })
    pool.on('error', (error) => options.onPoolError?.(error))
    const db: Db = drizzlePg({ client: pool, schema })
    return { db, kind: 'postgres', ping: () => ping(db), close: () => pool.end() }
  }

  // A directory, so the data survives a restart. PGlite serialises every query and transaction itself.
  const dir = resolve(options.pgliteDir ?? '.data/pglite')
  await mkdir(dir, { recursive: true })
  const unlock = await lockPgliteDir(dir)
  let client: PGlite
  try {
    client = await PGlite.create(dir)
  } catch (error) {
    await unlock()
    throw error
  }
  const db: Db = drizzlePglite({ client, schema })
  return {
    db,
    kind: 'pglite',
    ping: () => ping(db),
    close: async () => {
      await client.close()
      await unlock()
    },
  }
}

async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`)
}

/** Rows of a raw query: node-postgres and PGlite both answer `{ rows }`. */
export async function queryRows<Row>(db: Pick<Db, 'execute'>, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as { rows: Row[] }
  return result.rows
}
