import { createHmac } from 'node:crypto'
import { verifyWebhook } from '@calltoken/core'
import { agora } from '@calltoken/agora'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { APP_CERTIFICATE, APP_ID } from './fixtures'

const provider = agora({ appId: APP_ID, appCertificate: APP_CERTIFICATE })
// Agora's signature-verification page: this body under the secret "secret".
const DOC_BODY = '{"eventMs":1560408533119,"eventType":10,"noticeId":"4eb720f0-8da7-11e9-a43e-53f411c2761f","notifyMs":1560408533119,"payload":{"a":"1","b":2},"productId":1}'
const DOC_V2 = '6d3320c60b11101395b7fc8f9068748808a0aa1bfa064438e39d1bc2c7d74d99'
const DOC_V1 = '033c62f40f687675f17f0f41f91a40c71c0f134c'
const verify = (headers: Record<string, string>, rawBody: string | Uint8Array = DOC_BODY, secret = 'secret') => verifyWebhook(provider, { rawBody, headers }, { secret })

describe('Agora NCS webhooks', () => {
  it("accepts the documentation's vector by V2 and by v1, with its event type, notice id and notify time", async () => {
    const event = await verify({ 'agora-signature-v2': DOC_V2 })
    expect(event).toEqual({ provider: 'agora', type: '10', id: '4eb720f0-8da7-11e9-a43e-53f411c2761f', payload: JSON.parse(DOC_BODY), signedAt: new Date(1560408533119) })
    expect((await verify({ 'agora-signature': DOC_V1 })).id).toBe('4eb720f0-8da7-11e9-a43e-53f411c2761f')
    expect((await verify({ 'agora-signature-v2': DOC_V2.toUpperCase() })).type).toBe('10')
  })

  it('V2 decides: a bad V2 is refused even beside a good v1', async () => {
    await expect(verify({ 'agora-signature-v2': DOC_V1.padEnd(64, '0'), 'agora-signature': DOC_V1 })).rejects.toMatchObject({
      code: 'ERR_CALLTOKEN_INVALID_SIGNATURE',
      message: expect.stringMatching(/Agora-Signature-V2 does not match/),
    })
  })

  it('refuses a missing header, another secret, a changed body, and names the NCS secret when none is given', async () => {
    await expect(verify({})).rejects.toThrow(/header is missing/)
    await expect(verify({ 'agora-signature-v2': DOC_V2 }, DOC_BODY, APP_CERTIFICATE)).rejects.toThrow(/NCS secret, not the App Certificate/)
    await expect(verify({ 'agora-signature-v2': DOC_V2 }, DOC_BODY.replace('"b":2', '"b":3'))).rejects.toThrow(/does not match/)
    await expect(verifyWebhook(provider, { rawBody: DOC_BODY, headers: {} })).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG', message: expect.stringMatching(/pass it as \{ secret \}/) })
  })

  it('any body: accepted exactly when the V2 HMAC-SHA256 (or, alone, the v1 HMAC-SHA1) of its bytes matches', async () => {
    await fc.assert(
      fc.asyncProperty(fc.json(), fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && s !== ''), fc.boolean(), fc.boolean(), async (json, secret, useV2, tamper) => {
        const body = `{"noticeId":"n","eventType":1,"payload":${json}}`
        const mac = createHmac(useV2 ? 'sha256' : 'sha1', secret).update(body).digest('hex')
        const headers = { [useV2 ? 'agora-signature-v2' : 'agora-signature']: mac }
        const sent = tamper ? `${body} ` : body
        const outcome = await verify(headers, sent, secret).then(() => 'accepted', (error: { code: string }) => error.code)
        expect(outcome).toBe(tamper ? 'ERR_CALLTOKEN_INVALID_SIGNATURE' : 'accepted')
      }),
      { numRuns: process.env.CI ? 2000 : 300 },
    )
  }, 120_000)
})
