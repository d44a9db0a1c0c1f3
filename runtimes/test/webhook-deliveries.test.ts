import { createHash, createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { CREDENTIALS } from '../src/credentials.mjs'
import { WEBHOOK_DELIVERIES as D, WEBHOOK_NOW_MS } from '../src/webhook-deliveries.mjs'

// The matrix's deliveries are the bytes each provider's construction gives (signed here again with node:crypto).
describe('the webhook deliveries every runtime verifies', () => {
  it('carry the signatures the providers would send', () => {
    const nowS = String(WEBHOOK_NOW_MS / 1000)
    expect(D.stream!.headers['x-signature']).toBe(createHmac('sha256', CREDENTIALS.stream.apiSecret).update(D.stream!.body).digest('hex'))
    expect(D.agora!.headers['agora-signature-v2']).toBe(createHmac('sha256', D.agora!.secret!).update(D.agora!.body).digest('hex'))
    const params = Object.fromEntries(new URLSearchParams(D.twilio!.body))
    const signed = Object.keys(params).sort().reduce((acc, key) => acc + key + params[key], D.twilio!.url!)
    expect(D.twilio!.headers['x-twilio-signature']).toBe(createHmac('sha1', D.twilio!.secret!).update(signed).digest('base64'))
    const [header, payload, signature] = D.livekit!.headers.authorization!.split('.')
    expect(signature).toBe(createHmac('sha256', CREDENTIALS.livekit.apiSecret).update(`${header}.${payload}`).digest('base64url'))
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toEqual({ sha256: createHash('sha256').update(D.livekit!.body).digest('base64'), iss: CREDENTIALS.livekit.apiKey, exp: WEBHOOK_NOW_MS / 1000 + 300, nbf: WEBHOOK_NOW_MS / 1000 })
    expect(D.zoom!.headers['x-zm-signature']).toBe(`v0=${createHmac('sha256', D.zoom!.secret!).update(`v0:${nowS}:${D.zoom!.body}`).digest('hex')}`)
    expect(D.daily!.headers['x-webhook-signature']).toBe(createHmac('sha256', Buffer.from(D.daily!.secret!, 'base64')).update(`${nowS}.${D.daily!.body}`).digest('base64'))
  })
})
