import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pruneCalls } from '../src/calls/prune.ts'
import { BACKENDS, createStore, type TestStore } from './support/backends.ts'
import { runScript } from './support/scripts.ts'
import { createCall, newUser, startServer, TestClock, type TestServer, type TestUser } from './support/server.ts'

const DAY = 86_400

describe.each(BACKENDS)('pruning call records on %s', (backend) => {
  let store: TestStore
  let server: TestServer
  let admin: TestUser
  beforeAll(async () => {
    store = await createStore(backend)
  })
  afterAll(async () => {
    await server?.close()
    await store?.destroy()
  })

  const exists = async (callId: number) => (await server.request('GET', `/api/calling/admin/${callId}/details`, { token: admin.token })).status === 200

  it('deletes calls whose last activity is older than 90 days, with their stays; keeps the rest', async () => {
    const clock = new TestClock(Date.parse('2026-01-01T00:00:00Z'))
    server = await startServer(store, { clock })
    admin = await newUser(server, ['member', 'admin'])
    const host = await newUser(server)

    const old = await createCall(server, host, { isPublic: true })
    await server.request('POST', `/api/calling/${old.callId}/join`, { token: host.token })
    await server.request('POST', `/api/calling/${old.callId}/leave`, { token: host.token })
    const oldButUsed = await createCall(server, host, { isPublic: true })
    clock.advance(80 * DAY)
    await server.request('POST', `/api/calling/${oldButUsed.callId}/join`, { token: host.token })
    clock.advance(9 * DAY)
    const recent = await createCall(server, host, { isPublic: true })

    clock.advance(11 * DAY) // day 100: the cutoff is day 10
    const { deleted, cutoff } = await pruneCalls(server.database.db, clock.now(), 90)
    expect(deleted).toBe(1)
    expect(cutoff.toISOString()).toBe('2026-01-11T00:00:00.000Z')
    expect(await exists(old.callId)).toBe(false)
    expect(await exists(oldButUsed.callId)).toBe(true)
    expect(await exists(recent.callId)).toBe(true)
    // Nothing left to prune.
    expect((await pruneCalls(server.database.db, clock.now(), 90)).deleted).toBe(0)
  })

  it('the `prune-calls` script runs the same on the configured database, with the real clock and RETENTION_DAYS', async () => {
    // A database of its own, with records made 200 and 10 days before the real now.
    await server?.close()
    await store.destroy()
    store = await createStore(backend)
    const clock = new TestClock(Date.now() - 200 * DAY * 1000)
    server = await startServer(store, { clock })
    const host = await newUser(server)
    const ancient = await createCall(server, host)
    clock.ms = Date.now() - 10 * DAY * 1000
    const fresh = await createCall(server, host)
    await server.close() // PGlite allows one process at a time

    const env: Record<string, string> =
      store.options.url === undefined
        ? { PGLITE_DIR: store.options.pgliteDir! }
        : { DATABASE_URL: `${store.options.url}${store.options.url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${store.options.searchPath}`)}` }
    const { stdout } = await runScript('prune-calls', [], { ...env, RETENTION_DAYS: '30' })
    const summary = stdout.trim().split('\n').map((line) => JSON.parse(line)).find((line) => line.msg === 'pruned call records')
    expect(summary).toMatchObject({ deleted: 1, retentionDays: 30, database: backend })

    server = await startServer(store, { clock })
    admin = await newUser(server, ['member', 'admin'])
    expect(await exists(ancient.callId)).toBe(false)
    expect(await exists(fresh.callId)).toBe(true)
  })
})
