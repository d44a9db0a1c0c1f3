import { mkdir } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import pg from 'pg'
import * as schema from './schema'

/** The same query builder over either driver, so every query runs unchanged on PGlite and PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

export interface Database {
  readonly db: Db
  readonly driver: 'pglite' | 'postgres'
  /** Resolves when the database answers a query within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

export interface DatabaseOptions {
  /** A postgres:// URL; PGlite is used when it is absent. */
  readonly url?: string
  /** PGlite's data directory (created if missing); it survives restarts. */
  readonly pgliteDir: string
  /** Errors of idle pooled connections (a restarted server), which would otherwise crash the process. */
  readonly onPoolError?: (error: Error) => void
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url !== undefined) {
    const pool = new pg.Pool({ connectionString: options.url, max: 10, connectionTimeoutMillis: 5000 })
    pool.on('error', (error) => options.onPoolError?.(error))
    const db = drizzlePg(pool, { schema }) as unknown as Db
    return withPing({ db, driver: 'postgres', close: () => pool.end() })
  }
  await mkdir(options.pgliteDir, { recursive: true })
  const client = await PGlite.create(options.pgliteDir)
  const db = drizzlePglite(client, { schema }) as unknown as Db
  return withPing({ db, driver: 'pglite', close: () => client.close() })
}

function withPing(database: Omit<Database, 'ping'>): Database {
  let closed = false
  return {
    ...database,
    async ping(timeoutMs = 2000) {
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the database did not answer within ${timeoutMs} ms`)), timeoutMs)
      })
      try {
        await Promise.race([database.db.execute(sql`select 1`), timeout])
      } finally {
        clearTimeout(timer)
      }
    },
    // Idempotent: the shutdown path and a test may both close.
    async close() {
      if (closed) return
      closed = true
      await database.close()
    },
  }
}
