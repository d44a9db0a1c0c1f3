import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, queryRows, type Database } from '../src/db/client.ts'
import { migrate } from '../src/db/migrator.ts'
import { BACKENDS, createStore, type TestStore } from './support/backends.ts'

const tables = (database: Database) =>
  queryRows<{ table_name: string }>(database.db, sql`select table_name from information_schema.tables where table_schema = current_schema() order by table_name`).then((rows) =>
    rows.map((r) => r.table_name),
  )

describe.each(BACKENDS)('migrator on %s', (backend) => {
  let store: TestStore
  let database: Database
  let dir: string
  beforeAll(async () => {
    store = await createStore(backend)
    database = await openDatabase(store.options)
    dir = await mkdtemp(join(tmpdir(), 'agora-calling-migrations-'))
  })
  afterAll(async () => {
    await database?.close()
    await store?.destroy()
    await rm(dir, { recursive: true, force: true })
  })

  it('rolls back everything when a migration fails, then applies each file once, in order', async () => {
    await writeFile(join(dir, '0001_a.sql'), 'create table a (id int);\n--> statement-breakpoint\ninsert into a values (1);')
    await writeFile(join(dir, '0002_b.sql'), '-- broken on purpose\ncreate table b (id int);\n--> statement-breakpoint\nselect * from no_such_table;')
    await writeFile(join(dir, 'README.md'), 'not a migration')
    await expect(migrate(database.db, dir)).rejects.toThrow()
    expect(await tables(database)).toEqual([])

    await writeFile(join(dir, '0002_b.sql'), 'create table b (id int);')
    expect(await migrate(database.db, dir)).toEqual(['0001_a.sql', '0002_b.sql'])
    expect(await migrate(database.db, dir)).toEqual([])
    expect(await tables(database)).toEqual(['a', 'b', 'schema_migrations'])
    expect(await queryRows(database.db, sql`select id from a`)).toEqual([{ id: 1 }])
  })

  it('two concurrent runs apply a new migration once', async () => {
    await writeFile(join(dir, '0003_c.sql'), 'create table c (id int);')
    const [x, y] = await Promise.all([migrate(database.db, dir), migrate(database.db, dir)])
    expect([...x, ...y]).toEqual(['0003_c.sql'])
  })
})
