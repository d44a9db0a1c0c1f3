import { count, eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { roomEvents, roomParticipants, videoRooms } from '../src/db/schema'
import { ROOM_STATUS_PATH } from '../src/twilio/room-status-route'
import { describeEachDatabase, openTestDatabase, type TestDatabase } from './helpers/databases'
import { createAppointment, createParties, PUBLIC_BASE_URL, startTestApp, type Parties, type TestApp } from './helpers/harness'
import { roomEvent, sid, twilioCallback } from './helpers/twilio-callbacks'

interface Status {
  status: string
  participant_count: number
  participants: { identity: string; connected_at: string }[]
  room_sid: string | null
  started_at: string | null
  ended_at: string | null
}

describeEachDatabase('Twilio room status callbacks', (kind) => {
  let t: TestDatabase
  let app: TestApp
  let parties: Parties
  let appointmentId: number
  let room: { sid: string; name: string }

  beforeAll(async () => {
    t = await openTestDatabase(kind)
    app = await startTestApp(t.database)
  })
  afterAll(async () => {
    await app?.close()
    await t?.cleanup()
  })
  beforeEach(async () => {
    parties = await createParties(t.database)
    appointmentId = await createAppointment(t.database, parties)
    const created = await app.fetch(`/api/appointments/video-room/${appointmentId}/`, { method: 'POST', user: parties.patient.id })
    room = { sid: sid('RM'), name: ((await created.json()) as { room_name: string }).room_name }
  })

  const deliver = async (request: RequestInit) => {
    const response = await app.fetch(ROOM_STATUS_PATH, request)
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }
  const send = (params: Record<string, string>) => deliver(twilioCallback(params))
  const status = async (): Promise<Status> => {
    const response = await app.fetch(`/api/appointments/video-status/${appointmentId}/`, { user: parties.psychologist.id })
    expect(response.status).toBe(200)
    return (await response.json()) as Status
  }
  const storedEvents = async () => (await t.database.db.select({ n: count() }).from(roomEvents).where(eq(roomEvents.roomSid, room.sid)))[0]!.n
  const participant = (sequence: number, event: 'participant-connected' | 'participant-disconnected', participantSid: string, identity: string) =>
    roomEvent(event, room, sequence, { ParticipantSid: participantSid, ParticipantIdentity: identity, ParticipantStatus: event.slice(12) })

  it('follows a session: room created, two participants, one leaves, room ends', async () => {
    const patient = { sid: sid('PA'), identity: `${parties.patient.id}-${parties.patient.email}` }
    const doctor = { sid: sid('PA'), identity: `${parties.psychologist.id}-${parties.psychologist.email}` }

    expect(await send(roomEvent('room-created', room, 0))).toEqual({ status: 200, body: { result: 'applied' } })
    expect(await status()).toMatchObject({ status: 'in-progress', participant_count: 0, room_sid: room.sid, started_at: '2026-12-01T10:00:00.000Z' })

    await send(participant(1, 'participant-connected', patient.sid, patient.identity))
    await send(participant(2, 'participant-connected', doctor.sid, doctor.identity))
    await send(roomEvent('track-added', room, 3, { ParticipantSid: doctor.sid, TrackSid: sid('MT'), TrackKind: 'video' }))
    const during = await status()
    expect(during.participant_count).toBe(2)
    expect(during.participants).toEqual([
      { identity: patient.identity, connected_at: '2026-12-01T10:00:01.000Z' },
      { identity: doctor.identity, connected_at: '2026-12-01T10:00:02.000Z' },
    ])

    await send(participant(4, 'participant-disconnected', patient.sid, patient.identity))
    expect(await status()).toMatchObject({ participant_count: 1, participants: [{ identity: doctor.identity }] })

    await send(roomEvent('room-ended', room, 5, { RoomDuration: '5' }))
    expect(await status()).toMatchObject({ status: 'completed', participant_count: 0, participants: [], ended_at: '2026-12-01T10:00:05.000Z' })
    expect(await storedEvents()).toBe(6)
  })

  it('counts a retried callback once (same ParticipantSid and SequenceNumber)', async () => {
    const p = sid('PA')
    await send(roomEvent('room-created', room, 0))
    const connect = participant(1, 'participant-connected', p, 'someone')
    expect((await send(connect)).body).toEqual({ result: 'applied' })
    expect((await send(connect)).body).toEqual({ result: 'duplicate' })
    expect((await send(connect)).body).toEqual({ result: 'duplicate' })
    expect((await status()).participant_count).toBe(1)
    expect(await storedEvents()).toBe(2)
  })

  it('counts concurrent deliveries of the same event once', async () => {
    await send(roomEvent('room-created', room, 0))
    const p = sid('PA')
    const results = await Promise.all(Array.from({ length: 8 }, () => send(participant(1, 'participant-connected', p, 'someone'))))
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200))
    expect(results.filter((r) => r.body.result === 'applied')).toHaveLength(1)
    expect(results.filter((r) => r.body.result === 'duplicate')).toHaveLength(7)
    expect((await status()).participant_count).toBe(1)

    // Many different participants joining at once are all counted.
    await Promise.all(Array.from({ length: 6 }, (_, i) => send(participant(10 + i, 'participant-connected', sid('PA'), `user-${i}`))))
    expect((await status()).participant_count).toBe(7)
  })

  it('ends up with the same state when callbacks arrive out of order', async () => {
    const p = sid('PA')
    // The disconnect overtakes the connect: the participant is not counted as connected.
    await send(participant(2, 'participant-disconnected', p, 'late'))
    await send(participant(1, 'participant-connected', p, 'late'))
    // room-created arrives last; the room already exists from the participant events.
    await send(roomEvent('room-created', room, 0))
    expect(await status()).toMatchObject({ status: 'in-progress', participant_count: 0, started_at: '2026-12-01T10:00:00.000Z' })
    const [row] = await t.database.db.select().from(roomParticipants).where(eq(roomParticipants.participantSid, p))
    expect(row).toMatchObject({ status: 'disconnected', identity: 'late' })

    // A room-created delivered after room-ended does not reopen the room.
    await send(roomEvent('room-ended', room, 4))
    await send({ ...roomEvent('room-created', room, 0), SequenceNumber: '99' })
    expect((await status()).status).toBe('completed')
  })

  it('reports the newest room when Twilio reuses the name for a new room', async () => {
    await send(roomEvent('room-created', room, 0))
    await send(roomEvent('room-ended', room, 1))
    const next = { sid: sid('RM'), name: room.name }
    await send({ ...roomEvent('room-created', next, 0), Timestamp: '2026-12-01T11:00:00.000Z' })
    await send({ ...roomEvent('participant-connected', next, 1, { ParticipantSid: sid('PA'), ParticipantIdentity: 'back' }), Timestamp: '2026-12-01T11:00:05.000Z' })
    expect(await status()).toMatchObject({ status: 'in-progress', room_sid: next.sid, participant_count: 1, ended_at: null })
  })

  it('refuses forged callbacks with 403 and changes nothing', async () => {
    await send(roomEvent('room-created', room, 0))
    const before = await status()
    const params = participant(1, 'participant-connected', sid('PA'), 'intruder')
    const signed = twilioCallback(params)

    const forgeries: RequestInit[] = [
      { ...signed, headers: { ...signed.headers, 'x-twilio-signature': 'RSOYDt4T1cUTdK1PDd93/VVr8B8=' } },
      { ...signed, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      twilioCallback(params, { authToken: 'ffffffffffffffffffffffffffffffff' }),
      // Signed with the API key secret instead of the Auth Token.
      twilioCallback(params, { authToken: app.config.twilio.apiKeySecret }),
      // Signed over the address the server listens on instead of the public URL Twilio calls.
      twilioCallback(params, { signedUrl: `${app.url}${ROOM_STATUS_PATH}` }),
      twilioCallback(params, { signedUrl: `${PUBLIC_BASE_URL.replace('https', 'http')}${ROOM_STATUS_PATH}` }),
      // A valid signature, with the parameters changed or added afterwards.
      { ...signed, body: new URLSearchParams({ ...params, ParticipantIdentity: 'someone-else' }).toString() },
      { ...signed, body: `${signed.body}&Extra=1` },
    ]
    for (const forged of forgeries) expect(await deliver(forged)).toEqual({ status: 403, body: { error: 'Invalid Twilio signature' } })
    // A valid signature replayed to another URL (here: with a query string).
    const otherPath = await app.fetch(`${ROOM_STATUS_PATH}?x=1`, signed)
    expect(otherPath.status).toBe(403)

    expect(await status()).toEqual(before)
    expect(await storedEvents()).toBe(1)
    expect(await t.database.db.select({ n: count() }).from(roomParticipants).where(eq(roomParticipants.roomSid, room.sid))).toEqual([{ n: 0 }])
  })

  it('accepts the signature over the public URL with its default port', async () => {
    const params = roomEvent('room-created', room, 0)
    expect(await deliver(twilioCallback(params, { signedUrl: `${PUBLIC_BASE_URL}:443${ROOM_STATUS_PATH}` }))).toEqual({ status: 200, body: { result: 'applied' } })
  })

  it('acknowledges callbacks for rooms it does not know without storing anything', async () => {
    const stranger = { sid: sid('RM'), name: 'apt-1-1-00000000-not-ours' }
    expect(await send(roomEvent('room-created', stranger, 0))).toEqual({ status: 200, body: { result: 'unknown-room' } })
    expect(await t.database.db.select({ n: count() }).from(videoRooms).where(eq(videoRooms.roomSid, stranger.sid))).toEqual([{ n: 0 }])
  })

  it('answers 400 to a signed but malformed callback and 415 to another content type', async () => {
    const bad = await send({ ...roomEvent('participant-connected', room, 1), RoomSid: 'not-a-room-sid' })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatch(/^Malformed status callback: RoomSid/)
    const noParticipant = await send(roomEvent('participant-connected', room, 1))
    expect(noParticipant).toEqual({ status: 400, body: { error: 'Malformed status callback: ParticipantSid: participant events need a ParticipantSid' } })
    const json = await deliver({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(roomEvent('room-created', room, 0)) })
    expect(json).toEqual({ status: 415, body: { error: 'Content-Type must be application/x-www-form-urlencoded' } })
    expect(await storedEvents()).toBe(0)
  })
})
