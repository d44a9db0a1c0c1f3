// The migrator, the demo seed and a restart, on each database.
import { count, eq, sql } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config'
import { openDatabase, type Database } from '../src/db/client'
import { migrate, readMigrations } from '../src/db/migrator'
import { issuedTokens, users } from '../src/db/schema'
import { seedDemoUsers } from '../src/db/seed'
import { startTestApp } from './support/app'
import { databaseVariants, type TestDatabase } from './support/databases'

const tableNames = async (database: Database) => {
  const { rows } = (await database.db.execute(
    sql`select table_name from information_schema.tables where table_schema = current_schema() order by table_name`,
  )) as unknown as { rows: { table_name: string }[] }
  return rows.map((r) => r.table_name)
}

describe.each(databaseVariants)('database on $name', (variant) => {
  let testDb: TestDatabase
  let database: Database
  const open = () => openDatabase(loadConfig(testDb.env).database)

  beforeEach(async () => {
    testDb = await variant.create()
    database = await open()
  })
  const MIGRATIONS = ['0001_users_and_issued_tokens.sql', '0002_call_status.sql']
  const TABLES = ['call_status', 'issued_tokens', 'schema_migrations', 'stream_webhook_deliveries', 'users']

  afterEach(async () => {
    await database?.close()
    await testDb?.cleanup()
  })

  it('applies every migration once, in order, and records it', async () => {
    const files = await readMigrations()
    expect(files.map((m) => m.name)).toEqual(MIGRATIONS)
    expect(await migrate(database.db)).toEqual(MIGRATIONS)
    expect(await tableNames(database)).toEqual(TABLES)
    expect(await migrate(database.db)).toEqual([])
    const { rows } = (await database.db.execute(sql`select name, checksum from schema_migrations order by name`)) as unknown as { rows: unknown[] }
    expect(rows).toEqual(files.map(({ name, checksum }) => ({ name, checksum })))
  })

  it('lets instances that start together migrate without a clash (advisory lock)', async () => {
    // Two pools on PostgreSQL, as two processes would have; PGlite is one process, so one handle.
    const other = variant.name === 'postgres' ? await open() : database
    try {
      const results = await Promise.all([migrate(database.db), migrate(other.db), migrate(database.db)])
      expect(results.flat()).toEqual(MIGRATIONS)
    } finally {
      if (other !== database) await other.close()
    }
  })

  it('rolls a failing migration back whole and records nothing', async () => {
    const files = await readMigrations()
    const broken = { name: '0099_broken.sql', statements: ['create table half_done (x int)', 'select * from no_such_table'], checksum: 'x' }
    await expect(migrate(database.db, [...files, broken])).rejects.toThrow()
    expect(await tableNames(database)).toEqual([])
    expect(await migrate(database.db, files)).toEqual(MIGRATIONS)
    await expect(migrate(database.db, [...files, broken])).rejects.toThrow()
    expect(await tableNames(database)).toEqual(TABLES)
  })

  it('refuses to start when an applied migration was edited', async () => {
    const files = await readMigrations()
    await migrate(database.db, files)
    await expect(migrate(database.db, files.map((m) => ({ ...m, checksum: `${m.checksum}0` })))).rejects.toThrow(/was changed after it was applied/)
  })

  it('enforces the schema’s rules: one account per email (any case), known roles, call tokens name their call', async () => {
    await migrate(database.db)
    await database.db.insert(users).values({ id: 'u1', email: 'Same@Example.com', displayName: 'U1' })
    await expect(database.db.insert(users).values({ id: 'u2', email: 'same@example.com', displayName: 'U2' })).rejects.toThrow()
    await expect(database.db.execute(sql`insert into users (id, email, display_name, role) values ('u3', 'u3@example.com', 'U3', 'owner')`)).rejects.toThrow()
    const at = new Date()
    await expect(
      database.db.insert(issuedTokens).values({ userId: 'u1', kind: 'call', issuedAt: at, expiresAt: new Date(at.getTime() + 1000) }),
    ).rejects.toThrow()
    await expect(database.db.insert(issuedTokens).values({ userId: 'u1', kind: 'user', issuedAt: at, expiresAt: at })).rejects.toThrow()
  })

  it('seeds the demo users on the first start only: a deleted one stays deleted', async () => {
    await migrate(database.db)
    expect(await seedDemoUsers(database.db)).toEqual(['alice', 'bob'])
    expect(await database.db.select({ id: users.id, role: users.role }).from(users).orderBy(users.id)).toEqual([
      { id: 'alice', role: 'admin' },
      { id: 'bob', role: 'member' },
    ])
    await database.db.delete(users).where(eq(users.id, 'bob'))
    expect(await seedDemoUsers(database.db)).toEqual([])
    expect((await database.db.select().from(users)).map((u) => u.id)).toEqual(['alice'])
  })

  it('loses no row when the app is stopped and started again on the same database', async () => {
    await database.close() // the app opens the database itself
    const first = await startTestApp(testDb)
    await first.server.database.db.insert(users).values({ id: 'hana', email: 'hana@example.com', displayName: 'Hana', role: 'admin' })
    const issued = await first.post('/api/v1/stream/token', { jwt: await first.jwt('hana') })
    expect(issued.status).toBe(200)
    await first.close()

    const second = await startTestApp(testDb)
    try {
      const db = second.server.database.db
      expect(await db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, 'hana'))).toEqual([{ id: 'hana', role: 'admin' }])
      const rows = await db.select().from(issuedTokens).where(eq(issuedTokens.userId, 'hana'))
      expect(rows).toHaveLength(1)
      expect(rows[0]!.expiresAt.toISOString()).toBe(issued.body.data.expiresAt)
      // The demo users were not seeded a second time, and the restarted app still knows hana.
      expect((await db.select({ n: count() }).from(users))[0]!.n).toBe(3)
      expect((await second.post('/api/tokens/call', { jwt: await second.jwt('hana'), body: { callId: 'c1', role: 'admin' } })).status).toBe(200)
    } finally {
      await second.close()
    }
  })
})
