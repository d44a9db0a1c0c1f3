import { verifyWebhook } from '@calltoken/core'
import { twilio } from '@calltoken/twilio'
import fc from 'fast-check'
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks'
import { describe, expect, it } from 'vitest'
import { credentials } from './fixtures'

const provider = twilio(credentials)
const AUTH_TOKEN = '12345'
const verify = (url: string, rawBody: string, signature: string | undefined, secret = AUTH_TOKEN) =>
  verifyWebhook(provider, { rawBody, url, headers: signature === undefined ? {} : { 'x-twilio-signature': signature } }, { secret })
const outcome = (promise: Promise<unknown>) => promise.then(() => true, (error: { code: string }) => (error.code === 'ERR_CALLTOKEN_INVALID_SIGNATURE' ? false : error.code))

// twilio-node's spec/validation.spec.js.
const URL_ = 'https://mycompany.com/myapp.php?foo=1&bar=2'
const PARAMS = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' }
const FORM = new URLSearchParams(PARAMS).toString()
const JSON_BODY = '{"property": "value", "boolean": true}'
const BODY_HASH = '0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620'

describe('Twilio webhooks, held to twilio-node validateRequest', () => {
  it("accepts twilio-node's vectors: form fields, a JSON body by bodySHA256, and the empty body signed with :443", async () => {
    const form = await verify(URL_, FORM, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')
    expect(form).toMatchObject({ provider: 'twilio', payload: PARAMS, id: undefined })
    const json = await verify(`${URL_}&bodySHA256=${BODY_HASH}`, JSON_BODY, 'a9nBmqA0ju/hNViExpshrM61xv4=')
    expect(json.payload).toEqual({ property: 'value', boolean: true })
    const emptyHash = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'
    expect((await verify(`${URL_}&bodySHA256=${emptyHash}`, '{}', 'Ldidvp12m26NI7eqEvxnEpkd9Hc=')).payload).toEqual({})
  })

  it('a room status callback: its StatusCallbackEvent is the type, the idempotency token the id', async () => {
    const url = 'https://example.com/twilio/video-status'
    const params = { RoomName: 'appointment-47', RoomSid: 'RMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', StatusCallbackEvent: 'room-ended' }
    const signature = getExpectedTwilioSignature(AUTH_TOKEN, url, params)
    const event = await verifyWebhook(provider, { rawBody: new URLSearchParams(params).toString(), url, headers: { 'x-twilio-signature': signature, 'i-twilio-idempotency-token': 'idem-1' } }, { secret: AUTH_TOKEN })
    expect(event).toMatchObject({ type: 'room-ended', id: 'idem-1', payload: params })
  })

  it('refuses what validateRequest refuses, saying what to check', async () => {
    await expect(verify(URL_, FORM, undefined)).rejects.toThrow(/X-Twilio-Signature header is missing/)
    await expect(verify(URL_.replace('myapp', 'other'), FORM, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')).rejects.toThrow(/exactly the URL Twilio called/)
    await expect(verify(URL_, FORM, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', 'an-api-key-secret')).rejects.toThrow(/Auth Token/)
    await expect(verify(`${URL_}&bodySHA256=${BODY_HASH}`, `${JSON_BODY} `, 'a9nBmqA0ju/hNViExpshrM61xv4=')).rejects.toThrow(/bodySHA256/)
    // A hostile Host header makes a URL that does not parse: a coded error, not a TypeError.
    await expect(verify('https://exa mple.com:99999/x', FORM, 'x')).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_SIGNATURE', message: expect.stringMatching(/does not parse/) })
    await expect(verifyWebhook(provider, { rawBody: FORM, headers: { 'x-twilio-signature': 'x' } }, { secret: AUTH_TOKEN })).rejects.toThrow(/pass url/)
    await expect(verifyWebhook(provider, { rawBody: FORM, url: URL_, headers: {} })).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG', message: expect.stringMatching(/Auth Token/) })
  })

  it('agrees with validateRequest both ways: URL forms (ports, escapes, repeated query keys), repeated fields, tampering', async () => {
    const hosts = fc.constantFrom('example.com', 'Example.COM', 'api.example.com:8443', 'example.com:443', 'example.com:80', '[::1]:3000', 'user@example.com')
    const segment = fc.stringMatching(/^[A-Za-z0-9._~'()!*%:@é -]{0,8}$/)
    const queryPart = fc.tuple(fc.constantFrom('a', 'b', 'x y', "q'", 'é'), fc.stringMatching(/^[A-Za-z0-9'%+ é=]{0,6}$/))
    const url = fc
      .tuple(fc.constantFrom('https://', 'http://'), hosts, fc.array(segment, { maxLength: 3 }), fc.array(queryPart, { maxLength: 4 }))
      .map(([scheme, host, path, query]) => `${scheme}${host}/${path.join('/')}${query.length ? `?${query.map(([k, v]) => `${k}=${v}`).join('&')}` : ''}`)
    const fields = fc.array(fc.tuple(fc.constantFrom('RoomName', 'RoomSid', 'StatusCallbackEvent', 'To', 'Digits'), fc.string({ maxLength: 6 })), { maxLength: 6 })
    const seen = { accepted: 0, refused: 0 }
    const how = fc.constantFrom('as-is', 'port-variant', 'normalised', 'other-url', 'other-field', 'other-token', 'flip-signature')
    await fc.assert(
      fc.asyncProperty(url, fields, how, async (given, pairs, variant) => {
        if (!URL.canParse(given)) return
        const body = new URLSearchParams(pairs).toString()
        // The fields as body-parser's urlencoded gives them to twilio-node: a repeated name is a list.
        const params: Record<string, string | string[]> = {}
        for (const [name, value] of new URLSearchParams(body)) {
          const existing = params[name]
          params[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value]
        }
        const signedUrl = variant === 'port-variant' ? given.replace(/^(https?:\/\/[^/]*?)(:\d+)?\//, (_, base: string, port?: string) => (port ? `${base}/` : `${base}${given.startsWith('https') ? ':443' : ':80'}/`)) : variant === 'normalised' ? new URL(given).toString() : variant === 'other-url' ? `${given}x` : given
        const signedParams = variant === 'other-field' ? { ...params, Extra: '1' } : params
        let signature = getExpectedTwilioSignature(variant === 'other-token' ? 'another-auth-token' : AUTH_TOKEN, signedUrl, signedParams)
        if (variant === 'flip-signature') signature = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1)
        let theirs: boolean
        try {
          theirs = validateRequest(AUTH_TOKEN, signature, given, params)
        } catch {
          theirs = false
        }
        expect(await outcome(verify(given, body, signature))).toBe(theirs)
        seen[theirs ? 'accepted' : 'refused']++
      }),
      { numRuns: process.env.CI ? 3000 : 400 },
    )
    expect(seen.accepted).toBeGreaterThan(50)
    expect(seen.refused).toBeGreaterThan(50)
  }, 180_000)
})
