import { afterAll, beforeAll, expect, it } from 'vitest'
import { DEMO_CREDENTIALS } from '../src/demo-credentials'
import { signSessionToken } from '../src/session-token'
import { ROOM_STATUS_PATH } from '../src/twilio/room-status-route'
import { describeEachDatabase, openTestDatabase, type TestDatabase } from './helpers/databases'
import { createAppointment, createParties, startTestApp, type TestApp } from './helpers/harness'
import { roomEvent, sid, twilioCallback } from './helpers/twilio-callbacks'

describeEachDatabase('logs', (kind) => {
  let t: TestDatabase
  let app: TestApp
  beforeAll(async () => {
    t = await openTestDatabase(kind)
    app = await startTestApp(t.database)
  })
  afterAll(async () => {
    await app?.close()
    await t?.cleanup()
  })

  it('carry a request id and never a token, a secret, a bearer JWT or a Twilio signature', async () => {
    const parties = await createParties(t.database)
    const id = await createAppointment(t.database, parties)
    const session = await signSessionToken(app.config.sessionJwtSecret, parties.patient.id)
    const authorization = { authorization: `Bearer ${session}` }

    const room = (await (await app.fetch(`/api/appointments/video-room/${id}/`, { method: 'POST', headers: authorization })).json()) as { room_name: string }
    const tokenResponse = await app.fetch(`/api/appointments/video-token/${id}/`, { headers: { ...authorization, 'x-request-id': 'trace-abc-123' } })
    expect(tokenResponse.headers.get('x-request-id')).toBe('trace-abc-123')
    const accessToken = ((await tokenResponse.json()) as { access_token: string }).access_token
    const refreshed = ((await (await app.fetch(`/api/appointments/video-token-refresh/${id}/`, { headers: authorization })).json()) as { access_token: string })
      .access_token
    const callback = twilioCallback(roomEvent('room-created', { sid: sid('RM'), name: room.room_name }, 0))
    expect((await app.fetch(ROOM_STATUS_PATH, callback)).status).toBe(200)
    const forged = { ...callback, headers: { ...callback.headers, 'x-twilio-signature': 'Zm9yZ2VkLXNpZ25hdHVyZS12YWx1ZQ==' } }
    expect((await app.fetch(ROOM_STATUS_PATH, forged)).status).toBe(403)
    expect((await app.fetch(`/api/appointments/video-token/${id}/`, { headers: { authorization: 'Bearer not.a.valid-jwt' } })).status).toBe(401)
    // Let pino flush the last "request completed" lines.
    await new Promise((resolve) => setTimeout(resolve, 50))

    const text = app.logs.text
    const secrets = [
      accessToken,
      refreshed,
      session,
      'not.a.valid-jwt',
      callback.headers['x-twilio-signature'],
      'Zm9yZ2VkLXNpZ25hdHVyZS12YWx1ZQ==',
      ...Object.values(DEMO_CREDENTIALS).filter((value) => !value.startsWith('AC') && !value.startsWith('SK')),
    ]
    for (const secret of secrets) expect(text.includes(secret), `a log line contains ${secret.slice(0, 12)}…`).toBe(false)
    expect(text).not.toMatch(/Bearer\s+\S/)
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/)

    const completed = app.logs.records.filter((record) => record.msg === 'request completed')
    expect(completed.length).toBeGreaterThanOrEqual(6)
    for (const record of completed) expect((record.req as { id?: unknown }).id).toEqual(expect.any(String))
    const traced = completed.find((record) => (record.req as { id: string }).id === 'trace-abc-123')
    expect(traced).toMatchObject({ req: { headers: { authorization: '[redacted]' } }, res: { statusCode: 200 } })
    expect(app.logs.records.find((record) => record.msg === 'video token issued' && (record.req as { id: string } | undefined)?.id === 'trace-abc-123')).toBeDefined()
    const refused = completed.find((record) => (record.res as { statusCode: number }).statusCode === 403)
    expect(refused).toMatchObject({ req: { headers: { 'x-twilio-signature': '[redacted]' } } })
  })
})
