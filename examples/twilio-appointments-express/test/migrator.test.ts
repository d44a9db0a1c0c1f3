import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrate, readMigrations, type Migration } from '../src/db/migrator'
import { describeEachDatabase, openTestDatabase, type TestDatabase } from './helpers/databases'

const migration = (name: string, sql: string): Migration => ({ name, sql, checksum: createHash('sha256').update(sql).digest('hex') })

async function tables(t: TestDatabase): Promise<string[]> {
  const rows = await t.database.transaction((tx) =>
    tx.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`),
  )
  return rows.map((row) => row.table_name)
}

describe('readMigrations', () => {
  it('reads migrations/ in name order with a sha256 of each file', async () => {
    const files = await readMigrations()
    expect(files.map((file) => file.name)).toEqual(['0001_init.sql'])
    expect(files[0]!.checksum).toBe(createHash('sha256').update(files[0]!.sql).digest('hex'))
  })
})

describeEachDatabase('migrate', (kind) => {
  let t: TestDatabase
  beforeEach(async () => {
    t = await openTestDatabase(kind)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it("creates the app's tables once and records the migration", async () => {
    expect(await migrate(t.database)).toEqual(['0001_init.sql'])
    expect(await tables(t)).toEqual(['appointments', 'room_events', 'room_participants', 'schema_migrations', 'users', 'video_rooms'])
    expect(await migrate(t.database)).toEqual([])
    const recorded = await t.database.transaction((tx) => tx.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations'))
    expect(recorded).toEqual([{ name: '0001_init.sql', checksum: (await readMigrations())[0]!.checksum }])
  })

  it('applies pending migrations in order, after the ones already applied', async () => {
    const first = migration('0001_a.sql', 'CREATE TABLE a (id int PRIMARY KEY);')
    const second = migration('0002_b.sql', 'CREATE TABLE b (a_id int REFERENCES a (id)); INSERT INTO a VALUES (1); INSERT INTO b VALUES (1);')
    expect(await migrate(t.database, [first])).toEqual(['0001_a.sql'])
    expect(await migrate(t.database, [first, second])).toEqual(['0002_b.sql'])
    expect(await tables(t)).toEqual(['a', 'b', 'schema_migrations'])
  })

  it('rolls a failing migration back entirely, recording nothing', async () => {
    const good = migration('0001_a.sql', 'CREATE TABLE a (id int);')
    const bad = migration('0002_bad.sql', 'CREATE TABLE half_done (id int); SELECT 1 / 0;')
    await expect(migrate(t.database, [good, bad])).rejects.toThrow(/division by zero/)
    expect(await tables(t)).toEqual([])
    expect(await migrate(t.database, [good])).toEqual(['0001_a.sql'])
  })

  it('stops when an applied migration was edited afterwards', async () => {
    await migrate(t.database, [migration('0001_a.sql', 'CREATE TABLE a (id int);')])
    await expect(migrate(t.database, [migration('0001_a.sql', 'CREATE TABLE a (id bigint);')])).rejects.toThrow(
      'Migration 0001_a.sql was changed after it was applied; add a new migration instead',
    )
  })

  it('applies each migration once when several instances start together', async () => {
    const files = [migration('0001_a.sql', 'CREATE TABLE a (id int);'), migration('0002_b.sql', 'CREATE TABLE b (id int);')]
    const results = await Promise.all([migrate(t.database, files), migrate(t.database, files), migrate(t.database, files)])
    expect(results.flat().sort()).toEqual(['0001_a.sql', '0002_b.sql'])
    expect(await tables(t)).toEqual(['a', 'b', 'schema_migrations'])
  })
})
