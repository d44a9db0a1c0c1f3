import { createHmac } from 'node:crypto'
import { verifyWebhook } from '@calltoken/core'
import { zoom } from '@calltoken/zoom'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { credentials } from './fixtures'

const provider = zoom(credentials)
const SECRET_TOKEN = 'zoom-webhook-secret-token-0123'
const NOW_MS = Date.UTC(2026, 11, 1, 12)
const now = () => NOW_MS
const timestamp = String(NOW_MS / 1000)
// Zoom's documented construction: `v0:{timestamp}:{body}`, HMAC-SHA256 under the Secret Token, hex, prefixed "v0=".
const zoomSigns = (body: string, ts = timestamp, secret = SECRET_TOKEN) => `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`
const deliver = (body: string, headers: Record<string, string>, options: { secret?: string; toleranceSeconds?: number } = {}) =>
  verifyWebhook(provider, { rawBody: body, headers }, { secret: SECRET_TOKEN, now, ...options })
const started = JSON.stringify({ event: 'session.started', event_ts: NOW_MS, payload: { object: { session_name: 'Standup' } } })

describe('Zoom webhooks', () => {
  it('accepts a signed event within the window, with its type and signed time', async () => {
    const event = await deliver(started, { 'x-zm-signature': zoomSigns(started), 'x-zm-request-timestamp': timestamp })
    expect(event).toEqual({ provider: 'zoom', type: 'session.started', id: undefined, payload: JSON.parse(started), signedAt: new Date(NOW_MS) })
  })

  it("answers the endpoint.url_validation challenge with the plain token and its HMAC, as Zoom's docs describe", async () => {
    const body = JSON.stringify({ event: 'endpoint.url_validation', payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: NOW_MS })
    const event = await deliver(body, { 'x-zm-signature': zoomSigns(body), 'x-zm-request-timestamp': timestamp })
    expect(event.response).toEqual({ plainToken: 'qgg8vlvZRS6UYooatFL8Aw', encryptedToken: createHmac('sha256', SECRET_TOKEN).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex') })
  })

  it('refuses a stale or future timestamp (a replay), another secret, a changed body, missing headers', async () => {
    const old = String(NOW_MS / 1000 - 301)
    await expect(deliver(started, { 'x-zm-signature': zoomSigns(started, old), 'x-zm-request-timestamp': old })).rejects.toThrow(/5 min old, outside the 300 s window/)
    const ahead = String(NOW_MS / 1000 + 400)
    await expect(deliver(started, { 'x-zm-signature': zoomSigns(started, ahead), 'x-zm-request-timestamp': ahead })).rejects.toThrow(/in the future/)
    expect((await deliver(started, { 'x-zm-signature': zoomSigns(started, old), 'x-zm-request-timestamp': old }, { toleranceSeconds: 600 })).type).toBe('session.started')
    await expect(deliver(started, { 'x-zm-signature': zoomSigns(started, timestamp, 'another'), 'x-zm-request-timestamp': timestamp })).rejects.toThrow(/Secret Token/)
    await expect(deliver(`${started} `, { 'x-zm-signature': zoomSigns(started), 'x-zm-request-timestamp': timestamp })).rejects.toThrow(/does not match/)
    await expect(deliver(started, { 'x-zm-request-timestamp': timestamp })).rejects.toThrow(/x-zm-signature header is missing/)
    await expect(deliver(started, { 'x-zm-signature': zoomSigns(started) })).rejects.toThrow(/x-zm-request-timestamp header is missing/)
    // The signature covers the timestamp: another timestamp under the same signature is refused.
    const other = String(NOW_MS / 1000 - 1)
    await expect(deliver(started, { 'x-zm-signature': zoomSigns(started), 'x-zm-request-timestamp': other })).rejects.toThrow(/does not match/)
  })

  it('any body: accepted exactly when signed over v0:timestamp:body with the secret', async () => {
    await fc.assert(
      fc.asyncProperty(fc.json(), fc.constantFrom('as-is', 'body', 'secret', 'timestamp'), async (json, change) => {
        const body = `{"event":"x","payload":${json}}`
        const signature = zoomSigns(change === 'body' ? `${body}\n` : body, change === 'timestamp' ? String(NOW_MS / 1000 + 1) : timestamp, change === 'secret' ? 'other' : SECRET_TOKEN)
        const outcome = await deliver(body, { 'x-zm-signature': signature, 'x-zm-request-timestamp': timestamp }).then(() => 'ok', (e: { code: string }) => e.code)
        expect(outcome).toBe(change === 'as-is' ? 'ok' : 'ERR_CALLTOKEN_INVALID_SIGNATURE')
      }),
      { numRuns: process.env.CI ? 1000 : 200 },
    )
  }, 120_000)
})
