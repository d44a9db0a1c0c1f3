import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, queryRows } from '../src/db/client.ts'
import { BACKENDS, createStore, type TestStore } from './support/backends.ts'
import { createCall, newUser, startServer, TestClock } from './support/server.ts'

describe.each(BACKENDS)('a restart on %s', (backend) => {
  let store: TestStore
  beforeAll(async () => {
    store = await createStore(backend)
  })
  afterAll(async () => {
    await store?.destroy()
  })

  it('loses no row: calls, stays and preferences are all there after stopping and starting again', async () => {
    const clock = new TestClock()
    const first = await startServer(store, { clock })
    const host = await newUser(first)
    const call = await createCall(first, host, { isPublic: true, title: 'Survives restarts' })
    await first.request('POST', `/api/calling/${call.callId}/join`, { token: host.token })
    await first.request('PUT', '/api/calling/preferences', { token: host.token, body: { video_quality: 'sd' } })
    await first.close()

    const second = await startServer(store, { clock })
    try {
      // While it runs, nothing else may open the same PGlite directory.
      if (backend === 'pglite') {
        await expect(openDatabase(store.options)).rejects.toThrow(`is in use by process ${process.pid}`)
      }
      const mine = await second.request('GET', '/api/calling/my-calls', { token: host.token })
      expect(mine.body).toEqual([expect.objectContaining({ id: call.callId, title: 'Survives restarts', channel_name: call.channelName, role: 'host', participant_count: 1 })])
      expect((await second.request('GET', '/api/calling/preferences', { token: host.token })).body.video_quality).toBe('sd')
      // Still in the call after the restart, so the token route still answers.
      expect((await second.request('POST', '/api/calling/token', { token: host.token, body: { channelName: call.channelName } })).status).toBe(200)
      // The migration ran once, not once per start.
      const migrations = await queryRows<{ name: string }>(second.database.db, sql`select name from schema_migrations`)
      expect(migrations.map((m) => m.name)).toEqual(['0001_init.sql'])
      // New ids continue after the old ones.
      const next = await createCall(second, host)
      expect(next.callId).toBeGreaterThan(call.callId)
    } finally {
      await second.close()
    }
  })
})
