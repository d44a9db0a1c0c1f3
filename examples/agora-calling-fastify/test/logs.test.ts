import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CREDENTIALS } from '../src/demo-credentials.ts'
import { createStore, type TestStore } from './support/backends.ts'
import { createCall, newUser, startServer, type TestServer } from './support/server.ts'

/** Every string and number anywhere in a parsed log line. */
function values(node: unknown): (string | number)[] {
  if (typeof node === 'string' || typeof node === 'number') return [node]
  if (node && typeof node === 'object') return Object.values(node).flatMap(values)
  return []
}

// Logging does not depend on the database; PGlite is enough here.
describe('logs', () => {
  let store: TestStore
  let server: TestServer
  beforeAll(async () => {
    store = await createStore('pglite')
    server = await startServer(store)
  })
  afterAll(async () => {
    await server?.close()
    await store?.destroy()
  })

  it('carry request ids and masked user ids, and never a token, secret, Authorization header or internal user id', async () => {
    const admin = await newUser(server, ['member', 'admin'])
    const host = await newUser(server)
    const guest = await newUser(server)
    const call = await createCall(server, host, { isPublic: false })
    await server.request('POST', `/api/calling/${call.callId}/invite`, { token: host.token, body: { userIds: [guest.id] } })
    await server.request('POST', `/api/calling/${call.callId}/join`, { token: host.token })
    await server.request('POST', `/api/calling/${call.callId}/join`, { token: guest.token })
    const minted = await server.request('POST', '/api/calling/token', { token: host.token, body: { channelName: call.channelName, uid: host.id }, headers: { 'x-request-id': 'req-token-1' } })
    expect(minted.status).toBe(200)
    await server.request('POST', '/api/calling/token', { token: guest.token, body: { channelName: call.channelName, uid: host.id } })
    await server.request('DELETE', `/api/calling/admin/${call.callId}/participants/${guest.id}`, { token: admin.token })
    await server.request('GET', `/api/calling/admin/${call.callId}/details`, { token: admin.token })
    await server.request('GET', '/api/calling/my-calls', { headers: { authorization: 'Bearer forged.jwt.value' } })

    const lines = server.logs.map((line) => JSON.parse(line) as Record<string, unknown>)
    const text = server.logs.join('\n')
    expect(lines.length).toBeGreaterThan(20)

    // Every request line has its request id; the client's id is kept when sane.
    const requestLines = lines.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed')
    expect(requestLines.length).toBeGreaterThan(15)
    for (const line of requestLines) expect(line.reqId).toEqual(expect.any(String))
    expect(lines.filter((l) => l.reqId === 'req-token-1').map((l) => l.msg)).toEqual(['incoming request', 'agora token issued', 'request completed'])

    // Authenticated lines name the user by masked id only.
    const issued = lines.find((l) => l.msg === 'agora token issued')!
    expect(issued.user).toBe(server.publicIdOf(host.id))
    expect(issued.channel).toBe(call.channelName)
    const removal = lines.find((l) => l.msg === 'participant removed by admin')!
    expect(removal.user).toBe(server.publicIdOf(admin.id))
    expect(removal.participant).toBe(server.publicIdOf(guest.id))
    // …including the DELETE URL, whose :userId is replaced.
    const deleteUrl = lines.find((l) => (l.req as { method?: string } | undefined)?.method === 'DELETE')!.req as { url: string }
    expect(deleteUrl.url).toBe(`/api/calling/admin/${call.callId}/participants/${server.publicIdOf(guest.id)}`)

    // Nothing secret, ever.
    for (const secret of [minted.body.token, admin.token, host.token, guest.token, 'forged.jwt.value', ...Object.values(DEMO_CREDENTIALS)]) {
      expect(text).not.toContain(secret)
    }
    expect(text.toLowerCase()).not.toContain('authorization')
    expect(text.toLowerCase()).not.toContain('bearer')

    // No internal user id as a value, or inside one (URLs, messages).
    for (const id of [admin.id, host.id, guest.id]) {
      const inside = new RegExp(`(^|\\D)${id}(\\D|$)`)
      for (const line of lines) {
        for (const value of values(line)) {
          if (typeof value === 'number') expect(value).not.toBe(id)
          else expect(inside.test(value), `${id} in ${value}`).toBe(false)
        }
      }
    }
  })
})
