import { createHmac } from 'node:crypto'
import { verifyWebhook } from '@calltoken/core'
import { daily } from '@calltoken/daily'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { credentials } from './fixtures'

const provider = daily(credentials)
// A webhook hmac as Daily issues one: base64 of random bytes.
const HMAC = Buffer.from('daily-webhook-hmac-key-bytes-0123456789').toString('base64')
const NOW_MS = Date.UTC(2026, 11, 1, 12)
const timestamp = String(NOW_MS / 1000)
// Daily's reference: base64 HMAC-SHA256 of `{timestamp}.{body}` under the base64-decoded hmac.
const dailySigns = (body: string, ts = timestamp, hmac = HMAC) => createHmac('sha256', Buffer.from(hmac, 'base64')).update(`${ts}.${body}`).digest('base64')
const deliver = (body: string, headers: Record<string, string>, secret = HMAC) => verifyWebhook(provider, { rawBody: body, headers }, { secret, now: () => NOW_MS })
const joined = JSON.stringify({ version: '1.0.0', type: 'participant.joined', id: 'ptcpt-join-6497c79b', payload: { room: 'standup' }, event_ts: NOW_MS / 1000 })

describe('Daily webhooks', () => {
  it('accepts a signed event within the window, with its type and id', async () => {
    const event = await deliver(joined, { 'x-webhook-signature': dailySigns(joined), 'x-webhook-timestamp': timestamp })
    expect(event).toEqual({ provider: 'daily', type: 'participant.joined', id: 'ptcpt-join-6497c79b', payload: JSON.parse(joined), signedAt: new Date(NOW_MS) })
    // A timestamp in milliseconds reads as such.
    const ms = String(NOW_MS)
    expect((await deliver(joined, { 'x-webhook-signature': dailySigns(joined, ms), 'x-webhook-timestamp': ms })).signedAt).toEqual(new Date(NOW_MS))
  })

  it('refuses a stale timestamp, another secret, a changed body, a secret that is not base64', async () => {
    const old = String(NOW_MS / 1000 - 3600)
    await expect(deliver(joined, { 'x-webhook-signature': dailySigns(joined, old), 'x-webhook-timestamp': old })).rejects.toThrow(/60 min old/)
    const other = Buffer.from('another-key').toString('base64')
    await expect(deliver(joined, { 'x-webhook-signature': dailySigns(joined, timestamp, other), 'x-webhook-timestamp': timestamp })).rejects.toThrow(/does not match/)
    await expect(deliver(`${joined} `, { 'x-webhook-signature': dailySigns(joined), 'x-webhook-timestamp': timestamp })).rejects.toThrow(/does not match/)
    await expect(deliver(joined, { 'x-webhook-signature': dailySigns(joined), 'x-webhook-timestamp': timestamp }, 'not base64!')).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' })
    await expect(deliver(joined, { 'x-webhook-timestamp': timestamp })).rejects.toThrow(/X-Webhook-Signature header is missing/)
  })

  it('any body: accepted exactly when signed over timestamp.body with the hmac', async () => {
    await fc.assert(
      fc.asyncProperty(fc.json(), fc.boolean(), async (json, tamper) => {
        const body = `{"type":"x","payload":${json}}`
        const outcome = await deliver(tamper ? `${body}\n` : body, { 'x-webhook-signature': dailySigns(body), 'x-webhook-timestamp': timestamp }).then(() => 'ok', (e: { code: string }) => e.code)
        expect(outcome).toBe(tamper ? 'ERR_CALLTOKEN_INVALID_SIGNATURE' : 'ok')
      }),
      { numRuns: process.env.CI ? 1000 : 200 },
    )
  }, 120_000)
})
