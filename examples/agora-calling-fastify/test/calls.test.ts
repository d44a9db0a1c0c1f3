import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, createStore, type TestStore } from './support/backends.ts'
import { createCall, newUser, startServer, type TestServer } from './support/server.ts'

describe.each(BACKENDS)('calls on %s', (backend) => {
  let store: TestStore
  let server: TestServer
  beforeAll(async () => {
    store = await createStore(backend)
    server = await startServer(store)
  })
  afterAll(async () => {
    await server?.close()
    await store?.destroy()
  })

  describe('POST /api/calling/create', () => {
    it('creates a call with an unguessable server-made channel name and the original API\'s answer', async () => {
      const host = await newUser(server)
      const body = { title: 'Weekly Team Meeting', description: 'Discuss project progress', isPublic: false, maxParticipants: 25 }
      const first = await server.request('POST', '/api/calling/create', { token: host.token, body })
      const second = await server.request('POST', '/api/calling/create', { token: host.token, body })
      expect(first.status).toBe(201)
      expect(first.body).toEqual({ callId: expect.any(Number), channelName: expect.any(String), ...body, mediaType: 'video' })
      const seconds = Math.floor(server.clock.ms / 1000)
      expect(first.body.channelName).toMatch(new RegExp(`^call_${seconds}_[0-9a-f]{32}$`))
      expect(second.body.channelName).not.toBe(first.body.channelName)
      expect(second.body.callId).toBeGreaterThan(first.body.callId)
    })

    it('applies defaults and trims the title', async () => {
      const host = await newUser(server)
      const response = await server.request('POST', '/api/calling/create', { token: host.token, body: { title: '  Standup  ' } })
      expect(response.status).toBe(201)
      expect(response.body).toMatchObject({ title: 'Standup', description: '', isPublic: false, maxParticipants: 25, mediaType: 'video' })
    })

    it.each([
      ['no title', {}],
      ['an empty title', { title: '   ' }],
      ['maxParticipants 1', { title: 't', maxParticipants: 1 }],
      ['maxParticipants as a string', { title: 't', maxParticipants: '5' }],
      ['an unknown field', { title: 't', channelName: 'call_mine' }],
      ['an unknown mediaType', { title: 't', mediaType: 'screen' }],
    ])('400 for %s', async (_label, body) => {
      const host = await newUser(server)
      const response = await server.request('POST', '/api/calling/create', { token: host.token, body })
      expect(response.status).toBe(400)
      expect(response.body).toMatchObject({ success: false, code: 'INVALID_REQUEST', error: expect.stringMatching(/^Validation failed: /) })
    })

    it('400 for malformed JSON, 415 for another content type', async () => {
      const host = await newUser(server)
      const malformed = await server.request('POST', '/api/calling/create', { token: host.token, body: '{"title":' })
      expect(malformed.status).toBe(400)
      expect(malformed.body.success).toBe(false)
      const form = await server.request('POST', '/api/calling/create', { token: host.token, body: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      expect(form.status).toBe(415)
    })

    it('allows 10 creations an hour per user, then 429 with Retry-After; another user is unaffected', async () => {
      const host = await newUser(server)
      for (let i = 0; i < 10; i++) {
        expect((await server.request('POST', '/api/calling/create', { token: host.token, body: { title: `c${i}` } })).status).toBe(201)
      }
      const limited = await server.request('POST', '/api/calling/create', { token: host.token, body: { title: 'one too many' } })
      expect(limited.status).toBe(429)
      expect(limited.body).toMatchObject({ success: false, code: 'RATE_LIMITED' })
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3000)
      const other = await newUser(server)
      expect((await server.request('POST', '/api/calling/create', { token: other.token, body: { title: 'mine' } })).status).toBe(201)
    })
  })

  describe('POST /api/calling/:callId/join', () => {
    it('joins a public call and answers the channel name and title', async () => {
      const host = await newUser(server)
      const guest = await newUser(server)
      const call = await createCall(server, host, { isPublic: true })
      const response = await server.request('POST', `/api/calling/${call.callId}/join`, { token: guest.token })
      expect(response.status).toBe(200)
      expect(response.body).toEqual({ success: true, channelName: call.channelName, callTitle: 'Weekly Team Meeting' })
    })

    it('404 for an unknown call, a malformed id and an ended call', async () => {
      const user = await newUser(server)
      const admin = await newUser(server, ['member', 'admin'])
      expect((await server.request('POST', '/api/calling/999999999/join', { token: user.token })).status).toBe(404)
      expect((await server.request('POST', '/api/calling/abc/join', { token: user.token })).status).toBe(404)
      const call = await createCall(server, user, { isPublic: true })
      expect((await server.request('POST', `/api/calling/${call.callId}/admin-nope/join`, { token: user.token })).status).toBe(404)
      expect((await server.request('POST', `/api/calling/admin/${call.callId}/end`, { token: admin.token })).status).toBe(200)
      const ended = await server.request('POST', `/api/calling/${call.callId}/join`, { token: user.token })
      expect(ended.status).toBe(404)
      expect(ended.body).toMatchObject({ success: false, error: 'Call not found or ended' })
    })

    it('403 for a private call without an invitation; 200 once the host invites', async () => {
      const host = await newUser(server)
      const outsider = await newUser(server)
      const call = await createCall(server, host, { isPublic: false })
      const denied = await server.request('POST', `/api/calling/${call.callId}/join`, { token: outsider.token })
      expect(denied.status).toBe(403)
      expect(denied.body).toMatchObject({ success: false, error: 'Access denied to private call' })

      // Only the host (or an admin) may invite.
      const byOutsider = await server.request('POST', `/api/calling/${call.callId}/invite`, { token: outsider.token, body: { userIds: [outsider.id] } })
      expect(byOutsider.status).toBe(403)
      const invite = await server.request('POST', `/api/calling/${call.callId}/invite`, { token: host.token, body: { userIds: [outsider.id] } })
      expect(invite.status).toBe(200)
      expect(invite.body).toEqual({ success: true, invited: [outsider.id] })
      // Inviting again is a no-op.
      expect((await server.request('POST', `/api/calling/${call.callId}/invite`, { token: host.token, body: { userIds: [outsider.id] } })).body.invited).toEqual([])

      expect((await server.request('POST', `/api/calling/${call.callId}/join`, { token: outsider.token })).status).toBe(200)
      // The host needs no invitation to their own private call.
      expect((await server.request('POST', `/api/calling/${call.callId}/join`, { token: host.token })).status).toBe(200)
    })

    it('400 when the call is full; a second join by someone already in the call takes no seat', async () => {
      const host = await newUser(server)
      const call = await createCall(server, host, { isPublic: true, maxParticipants: 2 })
      const [a, b, c] = [await newUser(server), await newUser(server), await newUser(server)]
      expect((await server.request('POST', `/api/calling/${call.callId}/join`, { token: a.token })).status).toBe(200)
      expect((await server.request('POST', `/api/calling/${call.callId}/join`, { token: a.token })).status).toBe(200)
      expect((await server.request('POST', `/api/calling/${call.callId}/join`, { token: b.token })).status).toBe(200)
      const full = await server.request('POST', `/api/calling/${call.callId}/join`, { token: c.token })
      expect(full.status).toBe(400)
      expect(full.body).toMatchObject({ success: false, code: 'CALL_FULL', error: 'Call is full' })
      // Someone leaves: the seat is free again.
      expect((await server.request('POST', `/api/calling/${call.callId}/leave`, { token: a.token })).status).toBe(200)
      expect((await server.request('POST', `/api/calling/${call.callId}/join`, { token: c.token })).status).toBe(200)
    })

    it('holds maxParticipants under 20 concurrent joins: exactly 5 of them get in', async () => {
      const host = await newUser(server)
      const call = await createCall(server, host, { isPublic: true, maxParticipants: 5 })
      const users = await Promise.all(Array.from({ length: 20 }, () => newUser(server)))
      const responses = await Promise.all(users.map((user) => server.request('POST', `/api/calling/${call.callId}/join`, { token: user.token })))
      const statuses = responses.map((r) => r.status)
      expect(statuses.filter((s) => s === 200)).toHaveLength(5)
      expect(statuses.filter((s) => s === 400)).toHaveLength(15)
      // The database agrees: five people are in the call.
      const mine = await server.request('GET', '/api/calling/my-calls', { token: host.token })
      expect(mine.body.find((c: { id: number }) => c.id === call.callId).participant_count).toBe(5)
    })

    it('holds under concurrent double joins by the same user: one seat, one open stay', async () => {
      const host = await newUser(server)
      const call = await createCall(server, host, { isPublic: true, maxParticipants: 3 })
      const user = await newUser(server)
      const responses = await Promise.all(Array.from({ length: 10 }, () => server.request('POST', `/api/calling/${call.callId}/join`, { token: user.token })))
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200))
      const mine = await server.request('GET', '/api/calling/my-calls', { token: user.token })
      expect(mine.body.find((c: { id: number }) => c.id === call.callId).participant_count).toBe(1)
    })

    it('allows 100 joins a minute per user, then 429', async () => {
      const host = await newUser(server)
      const user = await newUser(server)
      const call = await createCall(server, host, { isPublic: true })
      for (let i = 0; i < 100; i++) {
        const response = await server.request('POST', `/api/calling/${call.callId}/join`, { token: user.token })
        expect(response.status).toBe(200)
      }
      const limited = await server.request('POST', `/api/calling/${call.callId}/join`, { token: user.token })
      expect(limited.status).toBe(429)
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
      expect((await server.request('POST', `/api/calling/${call.callId}/join`, { token: host.token })).status).toBe(200)
    })
  })

  describe('POST /api/calling/:callId/leave', () => {
    it('ends the stay (participant_count drops) and is idempotent; 404 for an unknown call', async () => {
      const host = await newUser(server)
      const call = await createCall(server, host, { isPublic: true })
      await server.request('POST', `/api/calling/${call.callId}/join`, { token: host.token })
      const count = async () => (await server.request('GET', '/api/calling/my-calls', { token: host.token })).body.find((c: { id: number }) => c.id === call.callId).participant_count
      expect(await count()).toBe(1)
      const left = await server.request('POST', `/api/calling/${call.callId}/leave`, { token: host.token })
      expect(left.status).toBe(200)
      expect(left.body).toEqual({ success: true })
      expect(await count()).toBe(0)
      expect((await server.request('POST', `/api/calling/${call.callId}/leave`, { token: host.token })).status).toBe(200)
      expect((await server.request('POST', '/api/calling/987654321/leave', { token: host.token })).status).toBe(404)
    })
  })

  describe('GET /api/calling/my-calls', () => {
    it('lists hosted, invited and joined calls plus open public ones, newest first, with role and participant_count', async () => {
      const me = await newUser(server)
      const other = await newUser(server)
      const hosted = await createCall(server, me, { title: 'Mine', isPublic: false, maxParticipants: 8 })
      server.clock.advance(60)
      const invitedTo = await createCall(server, other, { title: 'Invited', isPublic: false })
      await server.request('POST', `/api/calling/${invitedTo.callId}/invite`, { token: other.token, body: { userIds: [me.id] } })
      server.clock.advance(60)
      const publicCall = await createCall(server, other, { title: 'Open', isPublic: true })
      server.clock.advance(60)
      const hidden = await createCall(server, other, { title: 'Not for me', isPublic: false })
      await server.request('POST', `/api/calling/${publicCall.callId}/join`, { token: other.token })

      const response = await server.request('GET', '/api/calling/my-calls', { token: me.token })
      expect(response.status).toBe(200)
      const ids = response.body.map((c: { id: number }) => c.id)
      expect(ids).not.toContain(hidden.callId)
      const byId = new Map(response.body.map((c: { id: number }) => [c.id, c]))
      expect(byId.get(hosted.callId)).toEqual({
        id: hosted.callId,
        title: 'Mine',
        description: '',
        channel_name: hosted.channelName,
        creator_id: me.id,
        is_public: false,
        max_participants: 8,
        media_type: 'video',
        status: 'active',
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        role: 'host',
        participant_count: 0,
      })
      expect(byId.get(invitedTo.callId)).toMatchObject({ role: 'invitee' })
      expect(byId.get(publicCall.callId)).toMatchObject({ role: null, participant_count: 1 })
      // Newest first.
      expect(ids.indexOf(publicCall.callId)).toBeLessThan(ids.indexOf(invitedTo.callId))
      expect(ids.indexOf(invitedTo.callId)).toBeLessThan(ids.indexOf(hosted.callId))

      // Joining turns an invitee into a participant.
      await server.request('POST', `/api/calling/${invitedTo.callId}/join`, { token: me.token })
      const after = await server.request('GET', '/api/calling/my-calls', { token: me.token })
      expect(after.body.find((c: { id: number }) => c.id === invitedTo.callId)).toMatchObject({ role: 'participant', participant_count: 1 })
    })

    it('filters by status and honours limit; 400 for a bad limit or status', async () => {
      const me = await newUser(server)
      const admin = await newUser(server, ['member', 'admin'])
      const a = await createCall(server, me)
      const b = await createCall(server, me)
      const c = await createCall(server, me)
      await server.request('POST', `/api/calling/admin/${b.callId}/end`, { token: admin.token })
      const ended = await server.request('GET', '/api/calling/my-calls?status=ended', { token: me.token })
      expect(ended.body.map((x: { id: number }) => x.id)).toEqual([b.callId])
      expect(ended.body[0].status).toBe('ended')
      const active = await server.request('GET', '/api/calling/my-calls?status=active', { token: me.token })
      expect(active.body.map((x: { id: number }) => x.id)).toEqual(expect.arrayContaining([a.callId, c.callId]))
      expect(active.body.map((x: { id: number }) => x.id)).not.toContain(b.callId)
      const limited = await server.request('GET', '/api/calling/my-calls?limit=1', { token: me.token })
      expect(limited.body).toHaveLength(1)
      for (const query of ['limit=0', 'limit=abc', 'limit=101', 'status=done', 'page=2']) {
        const bad = await server.request('GET', `/api/calling/my-calls?${query}`, { token: me.token })
        expect(bad.status, query).toBe(400)
      }
    })
  })
})
