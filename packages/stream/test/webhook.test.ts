import { createHmac } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { isCallTokenError, verifyWebhook } from '@calltoken/core'
import { stream } from '@calltoken/stream'
import { StreamClient } from '@stream-io/node-sdk'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const apiKey = 'webhookkey'
const apiSecret = 'w7k2m9q4x1r8t5y3u6i0o2p4a7s9d1f3g5h8j0k2l4z6x8c0v2b4n6m8q0w2e4r6'
const provider = stream({ apiKey, apiSecret })
const sdk = new StreamClient(apiKey, apiSecret)
const sign = (body: Uint8Array | string, secret = apiSecret) => createHmac('sha256', secret).update(body).digest('hex')
const event = JSON.stringify({ type: 'call.session_started', call_cid: 'default:standup', created_at: '2026-12-01T10:00:00Z' })

/** The SDK's verdict: the parsed event, or null when it refuses. */
function sdkVerdict(rawBody: Uint8Array, signature: string): unknown {
  try {
    return sdk.verifyAndParseWebhook(Buffer.from(rawBody), signature)
  } catch {
    return null
  }
}
async function ourVerdict(rawBody: Uint8Array, signature: string | undefined): Promise<unknown> {
  try {
    return (await verifyWebhook(provider, { rawBody, headers: signature === undefined ? {} : { 'x-signature': signature } })).payload
  } catch (error) {
    if (!isCallTokenError(error)) throw error
    expect(error.code).toBe('ERR_CALLTOKEN_INVALID_SIGNATURE')
    expect(error.message).not.toContain(apiSecret)
    if (signature) expect(error.message).not.toContain(signature)
    return null
  }
}

describe('Stream webhooks, held to @stream-io/node-sdk verifyAndParseWebhook', () => {
  it('accepts a signed delivery (plain and gzipped), with its type and the X-Webhook-Id', async () => {
    const verified = await verifyWebhook(provider, { rawBody: event, headers: { 'x-signature': sign(event), 'x-webhook-id': 'wh-1' } })
    expect(verified).toEqual({ provider: 'stream', type: 'call.session_started', id: 'wh-1', payload: JSON.parse(event) })
    const gzipped = gzipSync(event)
    expect(sdkVerdict(gzipped, sign(event))).toEqual(JSON.parse(event))
    expect((await verifyWebhook(provider, { rawBody: gzipped, headers: new Headers({ 'X-Signature': sign(event) }) })).payload).toEqual(JSON.parse(event))
  })

  it('says what is wrong, never the signature or the secret', async () => {
    const cases: [Record<string, string>, string | Uint8Array, RegExp][] = [
      [{}, event, /X-Signature header is missing/],
      [{ 'x-signature': sign(event, 'another-secret-of-another-app-0123456789') }, event, /does not match the body/],
      [{ 'x-signature': sign(event) }, JSON.stringify(JSON.parse(event), null, 2), /does not match the body/],
      [{ 'x-signature': sign('x') }, new Uint8Array([0x1f, 0x8b, 1, 2, 3]), /does not decompress/],
      [{ 'x-signature': sign('not json') }, 'not json', /not JSON/],
    ]
    for (const [headers, rawBody, message] of cases) {
      await expect(verifyWebhook(provider, { rawBody, headers })).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_SIGNATURE', status: 401, message: expect.stringMatching(message) })
    }
  })

  it('refuses a gzip bomb without inflating it', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20))
    await expect(verifyWebhook(provider, { rawBody: bomb, headers: { 'x-signature': sign('x') } })).rejects.toThrow(/exceed 5242880 bytes/)
  })

  it('refuses a body a parser already turned into an object, and a secret it does not sign with', async () => {
    await expect(verifyWebhook(provider, { rawBody: JSON.parse(event), headers: {} })).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG', message: expect.stringMatching(/body parser/) })
    await expect(verifyWebhook(provider, { rawBody: event, headers: {} }, { secret: 'x' })).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG', message: expect.stringMatching(/signed with the adapter's API secret/) })
  })

  it('agrees with the SDK both ways on random deliveries and tampering', async () => {
    const body = fc.oneof(fc.json().map((json) => `{"type":"x","data":${json}}`), fc.string(), fc.json(), fc.constant(event))
    const tamper = fc.constantFrom('none', 'flip-body', 'flip-signature', 'upper-case', 'gzip', 'gzip-flip', 'truncate-signature', 'pad-signature')
    await fc.assert(
      fc.asyncProperty(body, tamper, async (text, how) => {
        let rawBody: Uint8Array = new TextEncoder().encode(text)
        let signature = sign(rawBody)
        if (how === 'flip-body' && rawBody.length > 0) rawBody = rawBody.map((b, i) => (i === 0 ? b ^ 1 : b))
        if (how === 'flip-signature') signature = (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1)
        if (how === 'upper-case') signature = signature.toUpperCase()
        if (how === 'gzip' || how === 'gzip-flip') rawBody = new Uint8Array(gzipSync(rawBody))
        if (how === 'gzip-flip') rawBody[rawBody.length - 9] = rawBody[rawBody.length - 9]! ^ 1
        if (how === 'truncate-signature') signature = signature.slice(0, -2)
        if (how === 'pad-signature') signature = `${signature} `
        // The SDK also returns JSON that is not an object (a bare number or string); Stream's events are objects, and we refuse the rest.
        const theirs = sdkVerdict(rawBody, signature)
        expect(await ourVerdict(rawBody, signature)).toEqual(typeof theirs === 'object' && !Array.isArray(theirs) ? theirs : null)
      }),
      { numRuns: process.env.CI ? 2000 : 300 },
    )
  }, 120_000)
})
