import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, createStore, type TestStore } from './support/backends.ts'
import { createCall, newUser, startServer, type TestServer, type TestUser } from './support/server.ts'

describe.each(BACKENDS)('admin routes on %s', (backend) => {
  let store: TestStore
  let server: TestServer
  let admin: TestUser
  beforeAll(async () => {
    store = await createStore(backend)
    server = await startServer(store)
    admin = await newUser(server, ['member', 'admin'])
  })
  afterAll(async () => {
    await server?.close()
    await store?.destroy()
  })

  const join = (callId: number, user: TestUser) => server.request('POST', `/api/calling/${callId}/join`, { token: user.token })
  const leave = (callId: number, user: TestUser) => server.request('POST', `/api/calling/${callId}/leave`, { token: user.token })

  describe('GET /api/calling/admin/:callId/details', () => {
    it('lists every stay with the masked id, and stats from the join/leave times', async () => {
      server.clock.set('2026-03-02T10:00:00.000Z')
      const [host, a, b] = [await newUser(server), await newUser(server), await newUser(server)]
      const call = await createCall(server, host, { isPublic: true, mediaType: 'audio', description: 'Discuss project progress' })
      await join(call.callId, host) // 10:00
      server.clock.advance(600)
      await join(call.callId, a) // 10:10
      server.clock.advance(600)
      await join(call.callId, b) // 10:20 — three people in the call
      server.clock.advance(1200)
      await leave(call.callId, a) // 10:40
      server.clock.advance(1200)
      await server.request('POST', `/api/calling/admin/${call.callId}/end`, { token: admin.token }) // 11:00

      const response = await server.request('GET', `/api/calling/admin/${call.callId}/details`, { token: admin.token })
      expect(response.status).toBe(200)
      expect(response.body.call).toEqual({
        id: call.callId,
        title: 'Weekly Team Meeting',
        description: 'Discuss project progress',
        channel_name: call.channelName,
        creator_id: host.id,
        is_public: true,
        max_participants: 25,
        media_type: 'audio',
        status: 'ended',
        created_at: '2026-03-02T10:00:00.000Z',
        ended_at: '2026-03-02T11:00:00.000Z',
      })
      expect(response.body.participants).toEqual([
        { user_id: host.id, oto_number: server.publicIdOf(host.id), role: 'host', joined_at: '2026-03-02T10:00:00.000Z', left_at: '2026-03-02T11:00:00.000Z', left_reason: 'ended', duration_seconds: 3600 },
        { user_id: a.id, oto_number: server.publicIdOf(a.id), role: 'participant', joined_at: '2026-03-02T10:10:00.000Z', left_at: '2026-03-02T10:40:00.000Z', left_reason: 'left', duration_seconds: 1800 },
        { user_id: b.id, oto_number: server.publicIdOf(b.id), role: 'participant', joined_at: '2026-03-02T10:20:00.000Z', left_at: '2026-03-02T11:00:00.000Z', left_reason: 'ended', duration_seconds: 2400 },
      ])
      expect(response.body.participants[0].oto_number).toMatch(/^OTO#[0-9A-HJKMNP-TV-Z]{12}$/)
      // 3600 + 1800 + 2400 s = 130 audio minutes; at most 3 at once; first join → last leave = 1 h.
      expect(response.body.stats).toEqual({
        total_participants: 3,
        peak_participants: 3,
        total_duration_seconds: 3600,
        audio_minutes_consumed: 130,
        video_minutes_consumed: 0,
      })
    })

    it('counts an open stay up to now and a leave at the instant of a join as not overlapping', async () => {
      server.clock.set('2026-03-03T09:00:00.000Z')
      const [host, a] = [await newUser(server), await newUser(server)]
      const call = await createCall(server, host, { isPublic: true })
      await join(call.callId, host)
      server.clock.advance(300)
      await leave(call.callId, host)
      await join(call.callId, a) // same instant: never two at once
      server.clock.advance(300)
      const response = await server.request('GET', `/api/calling/admin/${call.callId}/details`, { token: admin.token })
      expect(response.body.participants[1]).toMatchObject({ left_at: null, left_reason: null, duration_seconds: 300 })
      expect(response.body.stats).toEqual({ total_participants: 2, peak_participants: 1, total_duration_seconds: 600, audio_minutes_consumed: 0, video_minutes_consumed: 10 })
    })

    it('404 for an unknown call', async () => {
      expect((await server.request('GET', '/api/calling/admin/999999/details', { token: admin.token })).status).toBe(404)
    })
  })

  describe('POST /api/calling/admin/:callId/end', () => {
    it('ends the call for everyone, answers endedAt, then 409; 404 for an unknown call', async () => {
      server.clock.set('2026-03-04T12:00:00.000Z')
      const host = await newUser(server)
      const call = await createCall(server, host, { isPublic: true })
      await join(call.callId, host)
      const response = await server.request('POST', `/api/calling/admin/${call.callId}/end`, { token: admin.token })
      expect(response.status).toBe(200)
      expect(response.body).toEqual({ success: true, message: 'Call ended successfully', endedAt: '2026-03-04T12:00:00.000Z' })
      const mine = await server.request('GET', '/api/calling/my-calls?status=ended', { token: host.token })
      expect(mine.body.find((c: { id: number }) => c.id === call.callId)).toMatchObject({ status: 'ended', participant_count: 0 })
      expect((await server.request('POST', `/api/calling/admin/${call.callId}/end`, { token: admin.token })).status).toBe(409)
      expect((await server.request('POST', '/api/calling/admin/999999/end', { token: admin.token })).status).toBe(404)
    })
  })

  describe('DELETE /api/calling/admin/:callId/participants/:userId', () => {
    it('removes a participant, who can neither rejoin nor get a token; 404 for unknown call or participant', async () => {
      const [host, guest] = [await newUser(server), await newUser(server)]
      const call = await createCall(server, host, { isPublic: true })
      await join(call.callId, host)
      await join(call.callId, guest)
      const response = await server.request('DELETE', `/api/calling/admin/${call.callId}/participants/${guest.id}`, { token: admin.token })
      expect(response.status).toBe(200)
      expect(response.body).toEqual({ success: true, message: 'Participant removed from call' })

      const rejoin = await join(call.callId, guest)
      expect(rejoin.status).toBe(403)
      expect(rejoin.body.error).toBe('You were removed from this call')
      expect((await server.request('POST', '/api/calling/token', { token: guest.token, body: { channelName: call.channelName } })).status).toBe(403)
      // The call no longer shows up for them, and the host is still in it.
      expect((await server.request('GET', '/api/calling/my-calls', { token: guest.token })).body.map((c: { id: number }) => c.id)).not.toContain(call.callId)
      const details = await server.request('GET', `/api/calling/admin/${call.callId}/details`, { token: admin.token })
      expect(details.body.participants.find((p: { user_id: number }) => p.user_id === guest.id).left_reason).toBe('removed')

      expect((await server.request('DELETE', `/api/calling/admin/${call.callId}/participants/${guest.id}`, { token: admin.token })).status).toBe(404)
      expect((await server.request('DELETE', `/api/calling/admin/${call.callId}/participants/123`, { token: admin.token })).status).toBe(404)
      expect((await server.request('DELETE', `/api/calling/admin/999999/participants/${guest.id}`, { token: admin.token })).status).toBe(404)
    })
  })

  describe('GET /api/calling/admin/analytics', () => {
    it('computes dailyStats and summary from the recorded join/leave times', async () => {
      // A quiet stretch of calendar: these days hold only the calls made here.
      server.clock.set('2027-05-10T08:00:00.000Z')
      const [h1, h2, x, y] = [await newUser(server), await newUser(server), await newUser(server), await newUser(server)]

      // Day 1: a video call, 2 people for 30 min (then one stays 30 more); an audio call nobody joins.
      const video = await createCall(server, h1, { isPublic: true, mediaType: 'video' })
      await createCall(server, h2, { isPublic: true, mediaType: 'audio' })
      await join(video.callId, h1)
      await join(video.callId, x)
      server.clock.advance(1800)
      await leave(video.callId, x)
      server.clock.advance(1800)
      await leave(video.callId, h1)

      // Day 3: an audio call, 3 people: 10, 20 and 30 minutes, all starting together.
      server.clock.set('2027-05-12T15:00:00.000Z')
      const audio = await createCall(server, h2, { isPublic: true, mediaType: 'audio' })
      for (const user of [h2, x, y]) await join(audio.callId, user)
      for (const user of [x, y, h2]) {
        server.clock.advance(600)
        await leave(audio.callId, user)
      }
      server.clock.set('2027-05-12T23:00:00.000Z')

      const response = await server.request('GET', '/api/calling/admin/analytics?days=3', { token: admin.token })
      expect(response.status).toBe(200)
      expect(response.body.dailyStats).toEqual([
        // video: 1800 + 3600 s = 90 video minutes; call lasted 3600 s (the unjoined audio call has no duration).
        { date: '2027-05-10', total_calls: 2, total_participants: 2, avg_duration: 3600, audio_minutes: 0, video_minutes: 90 },
        { date: '2027-05-11', total_calls: 0, total_participants: 0, avg_duration: 0, audio_minutes: 0, video_minutes: 0 },
        // 600 + 1200 + 1800 s = 60 audio minutes; the call lasted 1800 s.
        { date: '2027-05-12', total_calls: 1, total_participants: 3, avg_duration: 1800, audio_minutes: 60, video_minutes: 0 },
      ])
      expect(response.body.summary).toEqual({
        totalCalls: 3,
        totalParticipants: 5,
        totalAudioMinutes: 60,
        totalVideoMinutes: 90,
        averageCallDuration: 2700,
        peakParticipants: 3,
      })

      // days=1 is today only.
      const today = await server.request('GET', '/api/calling/admin/analytics?days=1', { token: admin.token })
      expect(today.body.dailyStats.map((d: { date: string }) => d.date)).toEqual(['2027-05-12'])
      expect(today.body.summary.totalCalls).toBe(1)

      // By week (Monday 2027-05-10) and by month: one bucket holding all three calls.
      const week = await server.request('GET', '/api/calling/admin/analytics?days=3&groupBy=week', { token: admin.token })
      expect(week.body.dailyStats).toEqual([{ date: '2027-05-10', total_calls: 3, total_participants: 5, avg_duration: 2700, audio_minutes: 60, video_minutes: 90 }])
      const month = await server.request('GET', '/api/calling/admin/analytics?days=3&groupBy=month', { token: admin.token })
      expect(month.body.dailyStats).toEqual([{ date: '2027-05-01', total_calls: 3, total_participants: 5, avg_duration: 2700, audio_minutes: 60, video_minutes: 90 }])

      // No user id of any kind in the answer.
      for (const user of [h1, h2, x, y]) {
        expect(response.text).not.toContain(String(user.id))
        expect(response.text).not.toContain(server.publicIdOf(user.id))
      }
    })

    it('defaults to 30 days by day', async () => {
      server.clock.set('2027-09-30T12:00:00.000Z')
      const response = await server.request('GET', '/api/calling/admin/analytics', { token: admin.token })
      expect(response.status).toBe(200)
      expect(response.body.dailyStats).toHaveLength(30)
      expect(response.body.dailyStats[0].date).toBe('2027-09-01')
      expect(response.body.dailyStats[29].date).toBe('2027-09-30')
    })

    it('400 for bad days or groupBy', async () => {
      for (const query of ['days=0', 'days=366', 'days=x', 'groupBy=year', 'groupBy=', 'from=2020-01-01']) {
        const response = await server.request('GET', `/api/calling/admin/analytics?${query}`, { token: admin.token })
        expect(response.status, query).toBe(400)
      }
    })

    it('allows 20 requests a minute per admin, then 429', async () => {
      const other = await newUser(server, ['admin'])
      for (let i = 0; i < 20; i++) {
        expect((await server.request('GET', '/api/calling/admin/analytics?days=1', { token: other.token })).status).toBe(200)
      }
      const limited = await server.request('GET', '/api/calling/admin/analytics?days=1', { token: other.token })
      expect(limited.status).toBe(429)
      expect(limited.body.code).toBe('RATE_LIMITED')
    })
  })
})
