// Stream's webhooks feeding call_status: POST /webhooks/stream over real HTTP, on each database.
import { createHmac } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO } from '../src/demo-credentials'
import { startTestApp, type TestApp } from './support/app'
import { databaseVariants, type TestDatabase } from './support/databases'

/** What Stream sends: the body and its X-Signature (hex HMAC-SHA256 under the app's API secret). */
function delivery(body: object, webhookId: string, secret: string = DEMO.stream.apiSecret) {
  const text = JSON.stringify(body)
  return { body: text, headers: { 'content-type': 'application/json', 'x-signature': createHmac('sha256', secret).update(text).digest('hex'), 'x-webhook-id': webhookId } }
}
const event = (type: string, callCid = 'default:standup') => ({ type, call_cid: callCid, created_at: '2026-12-01T10:00:00Z' })

describe.each(databaseVariants)('POST /webhooks/stream (Stream webhooks → call_status) on $name', (variant) => {
  let database: TestDatabase
  let app: TestApp
  const status = async (cid: string) => (await app.get(`/api/calls/${cid.replace(':', '/')}/status`, { jwt: await app.jwt('bob') })).body

  beforeAll(async () => {
    database = await variant.create()
    app = await startTestApp(database)
  })
  afterAll(async () => {
    await app?.close()
    await database?.cleanup()
  })

  it('a session that starts, gains two participants, loses one, and ends', async () => {
    for (const [i, type] of ['call.session_started', 'call.session_participant_joined', 'call.session_participant_joined', 'call.session_participant_left'].entries()) {
      const response = await app.post('/webhooks/stream', delivery(event(type), `wh-a-${i}`))
      expect(response.status).toBe(200)
      expect(response.body).toEqual({ received: true })
    }
    expect((await status('default:standup')).data).toMatchObject({ callCid: 'default:standup', status: 'live', participants: 1, endedAt: null })
    await app.post('/webhooks/stream', delivery(event('call.session_ended'), 'wh-a-9'))
    expect((await status('default:standup')).data).toMatchObject({ status: 'ended', participants: 0, endedAt: expect.any(String) })
  })

  it('a delivery Stream sends twice (same X-Webhook-Id) counts once; a gzipped one is read', async () => {
    const joined = delivery(event('call.session_participant_joined', 'default:retro'), 'wh-b-1')
    await app.post('/webhooks/stream', delivery(event('call.session_started', 'default:retro'), 'wh-b-0'))
    await app.post('/webhooks/stream', joined)
    await app.post('/webhooks/stream', joined)
    expect((await status('default:retro')).data.participants).toBe(1)
    const text = JSON.stringify(event('call.session_participant_joined', 'default:retro'))
    const signature = createHmac('sha256', DEMO.stream.apiSecret).update(text).digest('hex')
    const gzipped = await fetch(`${app.url}/webhooks/stream`, { method: 'POST', body: gzipSync(text), headers: { 'x-signature': signature, 'x-webhook-id': 'wh-b-2' } })
    expect(gzipped.status).toBe(200)
    expect((await status('default:retro')).data.participants).toBe(2)
  })

  it('a forged or altered delivery is 401 and changes nothing; the log says why, never the secret', async () => {
    const forged = delivery(event('call.session_ended', 'default:standup-2'), 'wh-c-1', 'not-the-app-secret-0123456789abcdef')
    const response = await app.post('/webhooks/stream', forged)
    expect(response.status).toBe(401)
    expect(response.body).toMatchObject({ success: false, code: 'ERR_CALLTOKEN_INVALID_SIGNATURE' })
    expect((await app.get('/api/calls/default/standup-2/status', { jwt: await app.jwt('bob') })).status).toBe(404)
    expect(app.logs.join('\n')).not.toContain(DEMO.stream.apiSecret)
  })

  it('the status is for signed-in users only', async () => {
    expect((await app.get('/api/calls/default/standup/status')).status).toBe(401)
    expect((await app.get('/api/calls/default/standup/status', { jwt: 'not-a-jwt' })).status).toBe(401)
  })
})
