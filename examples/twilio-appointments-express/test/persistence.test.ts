import { afterAll, beforeAll, expect, it } from 'vitest'
import { ROOM_STATUS_PATH } from '../src/twilio/room-status-route'
import { describeEachDatabase, openTestDatabase, type TestDatabase } from './helpers/databases'
import { createAppointment, createParties, startTestApp } from './helpers/harness'
import { roomEvent, sid, twilioCallback } from './helpers/twilio-callbacks'

describeEachDatabase('restart', (kind) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await openTestDatabase(kind)
  })
  afterAll(async () => {
    await t?.cleanup()
  })

  it('loses no row: the room, its status and the participants are there after the app and the database restart', async () => {
    const first = await startTestApp(t.database)
    const parties = await createParties(t.database)
    const id = await createAppointment(t.database, parties)
    const created = (await (await first.fetch(`/api/appointments/video-room/${id}/`, { method: 'POST', user: parties.patient.id })).json()) as { room_name: string }
    const room = { sid: sid('RM'), name: created.room_name }
    const connect = roomEvent('participant-connected', room, 1, { ParticipantSid: sid('PA'), ParticipantIdentity: 'patient' })
    for (const params of [roomEvent('room-created', room, 0), connect]) expect((await first.fetch(ROOM_STATUS_PATH, twilioCallback(params))).status).toBe(200)
    const before = await (await first.fetch(`/api/appointments/video-status/${id}/`, { user: parties.patient.id })).json()
    await first.close()

    // Stop everything, open the same directory (or schema) again, start a new app on it.
    const database = await t.reopen()
    const second = await startTestApp(database)
    try {
      expect(second.logs.text).toContain('database schema is up to date')
      const again = await second.fetch(`/api/appointments/video-room/${id}/`, { method: 'POST', user: parties.psychologist.id })
      expect(again.status).toBe(200)
      expect(await again.json()).toEqual({ appointment_id: id, room_name: created.room_name, created: false })
      const after = await (await second.fetch(`/api/appointments/video-status/${id}/`, { user: parties.patient.id })).json()
      expect(after).toEqual(before)
      expect(after).toMatchObject({ status: 'in-progress', participant_count: 1 })
      // The event log survived too: Twilio retrying the connect after the restart is still recognised.
      expect(await (await second.fetch(ROOM_STATUS_PATH, twilioCallback(connect))).json()).toEqual({ result: 'duplicate' })
    } finally {
      await second.close()
    }
  })
})
