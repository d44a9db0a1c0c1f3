import { mkdir } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import pg from 'pg'
import type { DatabaseConfig } from '../config'
import { schema } from './schema'

/** The same drizzle API over PGlite and node-postgres: the app's queries do not know which one runs. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

/** Plain SQL in one transaction, for the migrator: `exec` runs a whole multi-statement file. */
export interface SqlTransaction {
  exec(sql: string): Promise<void>
  query<R extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>
}

export interface Database {
  readonly kind: DatabaseConfig['kind']
  readonly db: Db
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T>
  close(): Promise<void>
}

export interface OpenOptions {
  /** PostgreSQL only: the schema this pool works in (tests isolate each run in its own). */
  searchPath?: string
  /** PostgreSQL only: errors of idle pooled connections, which would otherwise crash the process. */
  onPoolError?: (error: Error) => void
}

export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<Database> {
  return config.kind === 'pglite' ? openPglite(config.dataDir) : openPostgres(config.url, options)
}

async function openPglite(dataDir: string): Promise<Database> {
  await mkdir(dataDir, { recursive: true })
  const client = await PGlite.create(dataDir)
  return {
    kind: 'pglite',
    db: drizzlePglite({ client, schema }) as unknown as Db,
    transaction: (fn) =>
      client.transaction((tx) =>
        fn({
          exec: async (sql) => void (await tx.exec(sql)),
          query: async <R extends Record<string, unknown>>(sql: string, params?: unknown[]) => (await tx.query<R>(sql, params)).rows,
        }),
      ),
    // Closing flushes PGlite's files; a restart on the same directory finds every committed row.
    close: () => client.close(),
  }
}

async function openPostgres(url: string, { searchPath, onPoolError }: OpenOptions): Promise<Database> {
  if (searchPath !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(searchPath)) throw new Error('searchPath must be a plain lower-case schema name')
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(searchPath === undefined ? {} : { options: `-c search_path=${searchPath}` }),
  })
  pool.on('error', (error) => onPoolError?.(error))
  // Fail at start-up, not at the first request, when the server is unreachable or the credentials are wrong.
  await pool.query('SELECT 1')
  return {
    kind: 'postgres',
    db: drizzlePg({ client: pool, schema }) as unknown as Db,
    async transaction(fn) {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const result = await fn({
          // Without parameters pg uses the simple query protocol, which accepts several statements.
          exec: async (sql) => void (await client.query(sql)),
          query: async <R extends Record<string, unknown>>(sql: string, params?: unknown[]) => (await client.query<R>(sql, params)).rows,
        })
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw error
      } finally {
        client.release()
      }
    },
    close: () => pool.end(),
  }
}
