import { eq } from 'drizzle-orm'
import { jwtVerify, decodeProtectedHeader } from 'jose'
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { FIXED_NOW_MS, fixedClock } from '@calltoken/test-kit'
import { appointments, users } from '../src/db/schema'
import { DEMO_CREDENTIALS } from '../src/demo-credentials'
import { signSessionToken } from '../src/session-token'
import { describeEachDatabase, openTestDatabase, type TestDatabase } from './helpers/databases'
import { createAppointment, createParties, manualClock, startTestApp, type Parties, type TestApp } from './helpers/harness'

const ORIGINAL_FIELDS = [
  'access_token',
  'room_name',
  'user_identity',
  'expires_in',
  'expires_at',
  'appointment_id',
  'appointment_duration_minutes',
  'token_valid_until',
]
const apiKeySecret = new TextEncoder().encode(DEMO_CREDENTIALS.TWILIO_API_KEY_SECRET)

describeEachDatabase('appointment video routes', (kind) => {
  let t: TestDatabase
  let app: TestApp
  let parties: Parties
  const clock = manualClock()

  beforeAll(async () => {
    t = await openTestDatabase(kind)
    app = await startTestApp(t.database, { now: clock.now })
  })
  afterAll(async () => {
    await app?.close()
    await t?.cleanup()
  })
  beforeEach(async () => {
    parties = await createParties(t.database)
  })

  const createRoom = async (id: number, user = parties.patient.id) => {
    const response = await app.fetch(`/api/appointments/video-room/${id}/`, { method: 'POST', user })
    return { status: response.status, body: (await response.json()) as { appointment_id: number; room_name: string; created: boolean } }
  }
  const getJson = async (path: string, user?: number) => {
    const response = await app.fetch(path, user === undefined ? {} : { user })
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> }
  }

  it('POST /video-room creates the room name once, as apt-<id>-<unix time>-<8 hex>', async () => {
    const id = await createAppointment(t.database, parties)
    const before = Math.floor(clock.ms / 1000)
    const first = await createRoom(id, parties.patient.id)
    expect(first.status).toBe(201)
    expect(first.body).toEqual({ appointment_id: id, room_name: expect.stringMatching(new RegExp(`^apt-${id}-${before}-[0-9a-f]{8}$`)), created: true })

    clock.advance(30)
    const again = await createRoom(id, parties.psychologist.id)
    expect(again).toEqual({ status: 200, body: { appointment_id: id, room_name: first.body.room_name, created: false } })
    const [row] = await t.database.db.select().from(appointments).where(eq(appointments.id, id))
    expect(row!.videoRoomName).toBe(first.body.room_name)
  })

  it('POST /video-room: concurrent requests from both parties agree on one room', async () => {
    const id = await createAppointment(t.database, parties)
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => createRoom(id, i % 2 === 0 ? parties.patient.id : parties.psychologist.id)),
    )
    expect(new Set(results.map((r) => r.body.room_name)).size).toBe(1)
    expect(results.filter((r) => r.status === 201)).toHaveLength(1)
    expect(results.filter((r) => r.status === 200)).toHaveLength(11)
  })

  it('POST /video-room: 401 without a valid session, 404 unknown appointment, 403 for anyone but the two parties', async () => {
    const id = await createAppointment(t.database, parties)
    const anonymous = await app.fetch(`/api/appointments/video-room/${id}/`, { method: 'POST' })
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer')
    expect(await anonymous.json()).toEqual({ error: 'Authentication required' })
    expect((await createRoom(999_999)).body).toEqual({ error: 'Appointment not found' })
    expect((await createRoom(999_999)).status).toBe(404)
    expect(await createRoom(id, parties.outsider.id)).toEqual({ status: 403, body: { error: 'Permission denied' } })
    // Nothing was created by the refused requests.
    const [row] = await t.database.db.select().from(appointments).where(eq(appointments.id, id))
    expect(row!.videoRoomName).toBeNull()
  })

  it('GET /video-token answers as the original API: every field, the 60-min appointment valid 5400 s', async () => {
    const id = await createAppointment(t.database, parties, 60)
    const { body: room } = await createRoom(id)
    const { status, headers, body } = await getJson(`/api/appointments/video-token/${id}/`, parties.patient.id)
    expect(status).toBe(200)
    expect(headers.get('cache-control')).toBe('no-store')
    expect(Object.keys(body).sort()).toEqual([...ORIGINAL_FIELDS, 'connect'].sort())
    const expectedExp = Math.floor(clock.ms / 1000) + 5400
    expect(body).toEqual({
      access_token: expect.any(String),
      room_name: room.room_name,
      user_identity: `${parties.patient.id}-${parties.patient.email}`,
      expires_in: 5400,
      expires_at: new Date(expectedExp * 1000).toISOString().replace('.000Z', 'Z'),
      appointment_id: id,
      appointment_duration_minutes: 60,
      token_valid_until: '90 minutes (1 hours)',
      connect: { identity: `${parties.patient.id}-${parties.patient.email}`, roomName: room.room_name },
    })
    expect(body.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)

    // A Twilio Video access token for this identity and room, signed with the API key secret.
    const token = body.access_token as string
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' })
    const { payload } = await jwtVerify(token, apiKeySecret, { currentDate: new Date(clock.ms) })
    expect(payload).toMatchObject({
      iss: DEMO_CREDENTIALS.TWILIO_API_KEY_SID,
      sub: DEMO_CREDENTIALS.TWILIO_ACCOUNT_SID,
      grants: { identity: `${parties.patient.id}-${parties.patient.email}`, video: { room: room.room_name } },
      exp: expectedExp,
    })
  })

  it('GET /video-token: both parties get the same room and different tokens', async () => {
    const id = await createAppointment(t.database, parties)
    await createRoom(id)
    const patient = await getJson(`/api/appointments/video-token/${id}`, parties.patient.id)
    const psychologist = await getJson(`/api/appointments/video-token/${id}`, parties.psychologist.id)
    expect(psychologist.status).toBe(200)
    expect(psychologist.body.room_name).toBe(patient.body.room_name)
    expect(psychologist.body.user_identity).toBe(`${parties.psychologist.id}-${parties.psychologist.email}`)
    expect(psychologist.body.access_token).not.toBe(patient.body.access_token)
  })

  it('GET /video-token: validity follows appointmentValidity (min 60, max 240 minutes)', async () => {
    for (const [duration, seconds, wording] of [
      [15, 3600, '60 minutes (1 hours)'],
      [45, 4500, '75 minutes (1 hours)'],
      [150, 10800, '180 minutes (3 hours)'],
      [300, 14400, '240 minutes (4 hours)'],
    ] as const) {
      const id = await createAppointment(t.database, parties, duration)
      await createRoom(id)
      const { body } = await getJson(`/api/appointments/video-token/${id}/`, parties.psychologist.id)
      expect(body, `${duration} min`).toMatchObject({ expires_in: seconds, token_valid_until: wording, appointment_duration_minutes: duration })
    }
  })

  it('GET /video-token: 401, 404 unknown appointment, 403 others, 404 no room', async () => {
    const id = await createAppointment(t.database, parties)
    expect(await getJson(`/api/appointments/video-token/${id}/`)).toMatchObject({ status: 401, body: { error: 'Authentication required' } })
    expect(await getJson('/api/appointments/video-token/424242/', parties.patient.id)).toMatchObject({ status: 404, body: { error: 'Appointment not found' } })
    expect(await getJson('/api/appointments/video-token/abc/', parties.patient.id)).toMatchObject({ status: 404, body: { error: 'Appointment not found' } })
    expect(await getJson('/api/appointments/video-token/99999999999/', parties.patient.id)).toMatchObject({ status: 404, body: { error: 'Appointment not found' } })
    expect(await getJson(`/api/appointments/video-token/${id}/`, parties.outsider.id)).toEqual({
      status: 403,
      headers: expect.anything(),
      body: { error: 'Permission denied' },
    })
    expect(await getJson(`/api/appointments/video-token/${id}/`, parties.patient.id)).toMatchObject({
      status: 404,
      body: { error: 'No video room found for this appointment' },
    })
  })

  it('GET /video-token: error answers are not cached either; 401 asks for a Bearer session', async () => {
    const id = await createAppointment(t.database, parties)
    const anonymous = await getJson(`/api/appointments/video-token/${id}/`)
    expect(anonymous).toMatchObject({ status: 401, body: { error: 'Authentication required' } })
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer')
    for (const [path, user, status] of [
      [`/api/appointments/video-token/${id}/`, parties.outsider.id, 403],
      [`/api/appointments/video-token/${id}/`, parties.patient.id, 404],
      [`/api/appointments/video-token-refresh/424242/`, parties.patient.id, 404],
    ] as const) {
      const answer = await getJson(path, user)
      expect(answer.status, path).toBe(status)
      expect(answer.headers.get('cache-control'), path).toBe('no-store')
      expect(Object.keys(answer.body), path).toEqual(['error'])
    }
  })

  it('GET /video-token: 401 for a session JWT signed with another secret, expired, or of a deleted user', async () => {
    const id = await createAppointment(t.database, parties)
    await createRoom(id)
    const withToken = (token: string) => app.fetch(`/api/appointments/video-token/${id}/`, { headers: { authorization: `Bearer ${token}` } })
    expect((await withToken(await signSessionToken('another-secret-that-is-long-enough-000', parties.patient.id))).status).toBe(401)
    expect((await withToken(await signSessionToken(app.config.sessionJwtSecret, parties.patient.id, { nowMs: Date.now() - 7200_000 }))).status).toBe(401)
    expect((await withToken(await signSessionToken(app.config.sessionJwtSecret, 987654))).status).toBe(401)
    expect((await withToken('not-a-jwt')).status).toBe(401)
    expect((await withToken(await signSessionToken(app.config.sessionJwtSecret, parties.patient.id))).status).toBe(200)
  })

  it('GET /video-token: 500 with the reason when no token can be minted (identity over Twilio’s 128 characters)', async () => {
    const [user] = await t.database.db
      .insert(users)
      .values({ email: `${'x'.repeat(120)}.${Date.now()}@example.com`, fullName: 'Long Email', role: 'patient' })
      .returning({ id: users.id })
    const [row] = await t.database.db
      .insert(appointments)
      .values({ patientId: user!.id, psychologistId: parties.psychologist.id, startsAt: new Date(), durationMinutes: 60 })
      .returning({ id: appointments.id })
    await createRoom(row!.id, parties.psychologist.id)
    const { status, body } = await getJson(`/api/appointments/video-token/${row!.id}/`, user!.id)
    expect(status).toBe(500)
    expect(body.error).toMatch(/^Failed to generate access token: Validation failed: userId must be at most 128 characters/)
    expect(JSON.stringify(body)).not.toContain(DEMO_CREDENTIALS.TWILIO_API_KEY_SECRET)
    expect(app.logs.text).toContain('could not mint a video token')
  })

  it('GET /video-token-refresh: a new token for the same room, valid for the full validity again', async () => {
    const id = await createAppointment(t.database, parties, 60)
    await createRoom(id)
    const first = await getJson(`/api/appointments/video-token/${id}/`, parties.patient.id)
    clock.advance(3000)
    const refreshed = await getJson(`/api/appointments/video-token-refresh/${id}/`, parties.patient.id)
    expect(refreshed.status).toBe(200)
    expect(refreshed.headers.get('cache-control')).toBe('no-store')
    expect(Object.keys(refreshed.body).sort()).toEqual([...ORIGINAL_FIELDS, 'connect'].sort())
    expect(refreshed.body).toMatchObject({ room_name: first.body.room_name, user_identity: first.body.user_identity, expires_in: 5400 })
    expect(refreshed.body.access_token).not.toBe(first.body.access_token)
    expect(Date.parse(refreshed.body.expires_at as string) - Date.parse(first.body.expires_at as string)).toBe(3000_000)

    expect(await getJson(`/api/appointments/video-token-refresh/${id}/`)).toMatchObject({ status: 401 })
    expect(await getJson(`/api/appointments/video-token-refresh/${id}/`, parties.outsider.id)).toMatchObject({ status: 403, body: { error: 'Permission denied' } })
    expect(await getJson('/api/appointments/video-token-refresh/424242/', parties.patient.id)).toMatchObject({ status: 404, body: { error: 'Appointment not found' } })
    const roomless = await createAppointment(t.database, parties)
    expect(await getJson(`/api/appointments/video-token-refresh/${roomless}/`, parties.patient.id)).toMatchObject({
      status: 404,
      body: { error: 'No video room found for this appointment' },
    })
  })

  it('GET /video-status: not-started with no participants until Twilio reports the room; 401/403/404 as the token route', async () => {
    const id = await createAppointment(t.database, parties)
    expect(await getJson(`/api/appointments/video-status/${id}/`, parties.patient.id)).toMatchObject({
      status: 404,
      body: { error: 'No video room found for this appointment' },
    })
    const { body: room } = await createRoom(id)
    const status = await getJson(`/api/appointments/video-status/${id}/`, parties.psychologist.id)
    expect(status.status).toBe(200)
    expect(status.headers.get('cache-control')).toBe('no-store')
    expect(status.body).toEqual({
      appointment_id: id,
      room_name: room.room_name,
      status: 'not-started',
      participant_count: 0,
      participants: [],
      room_sid: null,
      started_at: null,
      ended_at: null,
      last_event_at: null,
    })
    expect(await getJson(`/api/appointments/video-status/${id}/`)).toMatchObject({ status: 401 })
    expect(await getJson(`/api/appointments/video-status/${id}/`, parties.outsider.id)).toMatchObject({ status: 403, body: { error: 'Permission denied' } })
    expect(await getJson('/api/appointments/video-status/424242/', parties.patient.id)).toMatchObject({ status: 404, body: { error: 'Appointment not found' } })
  })

  it('answers JSON 404 for unknown routes and reports health', async () => {
    expect(await getJson('/api/appointments/nope', parties.patient.id)).toMatchObject({ status: 404, body: { error: 'Not found' } })
    expect(await getJson('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } })
  })
})

describeEachDatabase('pinned clock and rate limit', (kind) => {
  let t: TestDatabase
  let app: TestApp
  let parties: Parties

  beforeAll(async () => {
    t = await openTestDatabase(kind)
    app = await startTestApp(t.database, { now: fixedClock(), env: { RATE_LIMIT_PER_MINUTE: '4' } })
    parties = await createParties(t.database)
  })
  afterAll(async () => {
    await app?.close()
    await t?.cleanup()
  })

  it('writes expires_at and the room name from the clock: 2026-11-24T12:00:00.250Z + 5400 s', async () => {
    const id = await createAppointment(t.database, parties, 60)
    const room = await app.fetch(`/api/appointments/video-room/${id}/`, { method: 'POST', user: parties.patient.id })
    expect(((await room.json()) as { room_name: string }).room_name).toMatch(new RegExp(`^apt-${id}-${Math.floor(FIXED_NOW_MS / 1000)}-[0-9a-f]{8}$`))
    const token = (await (await app.fetch(`/api/appointments/video-token/${id}/`, { user: parties.patient.id })).json()) as Record<string, unknown>
    expect(token.expires_at).toBe('2026-11-24T13:30:00Z')
  })

  it('limits each user to RATE_LIMIT_PER_MINUTE token requests a minute on each token route (calltoken\'s limiter)', async () => {
    const own = await createParties(t.database)
    const id = await createAppointment(t.database, own)
    expect((await app.fetch(`/api/appointments/video-room/${id}/`, { method: 'POST', user: own.patient.id })).status).toBe(201)
    const statuses: number[] = []
    let last: Response | undefined
    for (let i = 0; i < 5; i++) {
      last = await app.fetch(`/api/appointments/video-token/${id}/`, { user: own.patient.id })
      statuses.push(last.status)
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429])
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(last!.headers.get('cache-control')).toBe('no-store')
    expect(await last!.json()).toEqual({ error: 'Too many requests' })
    // Each token route, each user and the other appointment routes have budgets of their own.
    expect((await app.fetch(`/api/appointments/video-token-refresh/${id}/`, { user: own.patient.id })).status).toBe(200)
    expect((await app.fetch(`/api/appointments/video-token/${id}/`, { user: own.psychologist.id })).status).toBe(200)
    expect((await app.fetch(`/api/appointments/video-status/${id}/`, { user: own.patient.id })).status).toBe(200)
  })

  it('limits each user to RATE_LIMIT_PER_MINUTE requests a minute, with Retry-After', async () => {
    const id = await createAppointment(t.database, parties)
    const statuses: number[] = []
    let last: Response | undefined
    for (let i = 0; i < 5; i++) {
      last = await app.fetch(`/api/appointments/video-status/${id}/`, { user: parties.outsider.id })
      statuses.push(last.status)
    }
    expect(statuses).toEqual([403, 403, 403, 403, 429])
    expect(await last!.json()).toEqual({ error: 'Too many requests' })
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0)
    // Another user has a budget of their own.
    expect((await app.fetch(`/api/appointments/video-status/${id}/`, { user: parties.psychologist.id })).status).toBe(404)
  })
})
