import { randomBytes } from 'node:crypto'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { inject } from 'vitest'
import type { DatabaseOptions } from '../../src/db/client.ts'

export type BackendName = 'pglite' | 'postgres'

/** A database of its own for one test file: a fresh PGlite directory, or a fresh schema on PostgreSQL. */
export interface TestStore {
  readonly backend: BackendName
  readonly options: DatabaseOptions
  destroy(): Promise<void>
}

const url = process.env.TEST_DATABASE_URL

if (!url) {
  const how = 'set TEST_DATABASE_URL=postgres://USER@HOST:PORT/DB to run every database test against PostgreSQL as well'
  // CI provides a server: there, a missing URL is a broken pipeline, not a reason to test less.
  if (process.env.CI) throw new Error(`TEST_DATABASE_URL is not set but CI is: ${how}`)
  console.warn(`\n⚠️  PostgreSQL variant SKIPPED (only PGlite ran): ${how}\n`)
}

export const BACKENDS: readonly BackendName[] = url ? ['pglite', 'postgres'] : ['pglite']

export async function createStore(backend: BackendName): Promise<TestStore> {
  if (backend === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'agora-calling-test-'))
    await cp(inject('pgliteTemplateDir'), dir, { recursive: true })
    return { backend, options: { pgliteDir: dir }, destroy: () => rm(dir, { recursive: true, force: true }) }
  }
  const schema = `app_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.end()
  return {
    backend,
    options: { url: url!, searchPath: schema },
    async destroy() {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      await client.query(`drop schema ${schema} cascade`)
      await client.end()
    },
  }
}
