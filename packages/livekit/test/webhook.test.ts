import { createHash } from 'node:crypto'
import { verifyWebhook } from '@calltoken/core'
import { livekit } from '@calltoken/livekit'
import fc from 'fast-check'
import { AccessToken, WebhookReceiver } from 'livekit-server-sdk'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { API_KEY, API_SECRET, credentials } from './fixtures'

const provider = livekit(credentials)
const receiver = new WebhookReceiver(API_KEY, API_SECRET)
// livekit-server-sdk's WebhookReceiver.test.ts: this body hashes to this sha256 claim.
const SDK_BODY = '{"event":"room_started", "room":{"sid":"RM_TkVjUvAqgzKz", "name":"mytestroom", "emptyTimeout":300, "creationTime":"1628545903", "turnPassword":"ICkSr2rEeslkN6e9bXL4Ji5zzMD5Z7zzr6ulOaxMj6N", "enabledCodecs":[{"mime":"audio/opus"}, {"mime":"video/VP8"}]}}'
const SDK_SHA256 = 'CoEQz1chqJ9bnZRcORddjplkvpjmPujmLTR42DbefYI='
const NOW = Date.UTC(2026, 11, 1, 12)

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(NOW)
})
afterEach(() => vi.useRealTimers())

/** What LiveKit sends: a JWT from AccessToken with the body's sha256, the way LiveKit's server signs webhooks. */
async function authFor(body: string, { key = API_KEY, secret = API_SECRET, ttl = 300 } = {}): Promise<string> {
  const token = new AccessToken(key, secret, { ttl })
  token.sha256 = createHash('sha256').update(body).digest('base64')
  return token.toJwt()
}
const ours = (body: string, authorization: string | undefined) =>
  verifyWebhook(provider, { rawBody: body, headers: authorization === undefined ? {} : { authorization } }).then(
    (event) => event.payload,
    (error: { code: string }) => {
      expect(error.code).toBe('ERR_CALLTOKEN_INVALID_SIGNATURE')
      return null
    },
  )
const theirs = (body: string, authorization: string | undefined) =>
  receiver.receive(body, authorization).then(
    () => JSON.parse(body) as unknown,
    () => null,
  )

describe('LiveKit webhooks, held to livekit-server-sdk WebhookReceiver', () => {
  it("hashes the SDK's test body to the SDK's sha256, and accepts its delivery bare or as Bearer", async () => {
    expect(createHash('sha256').update(SDK_BODY).digest('base64')).toBe(SDK_SHA256)
    const auth = await authFor(SDK_BODY)
    await expect(receiver.receive(SDK_BODY, auth)).resolves.toMatchObject({ event: 'room_started' })
    const event = await verifyWebhook(provider, { rawBody: SDK_BODY, headers: { authorization: auth } })
    expect(event).toMatchObject({ provider: 'livekit', type: 'room_started', payload: JSON.parse(SDK_BODY) })
    expect((await verifyWebhook(provider, { rawBody: SDK_BODY, headers: new Headers({ Authorization: `Bearer ${auth}` }) })).type).toBe('room_started')
  })

  it('refuses, as the SDK does, a changed body, another key or secret, an expired JWT, and says which', async () => {
    const auth = await authFor(SDK_BODY)
    await expect(verifyWebhook(provider, { rawBody: SDK_BODY.replace('300', '301'), headers: { authorization: auth } })).rejects.toThrow(/sha256 claim/)
    await expect(verifyWebhook(provider, { rawBody: SDK_BODY, headers: { authorization: await authFor(SDK_BODY, { key: 'APIanotherkey00' }) } })).rejects.toThrow(/another API key/)
    await expect(verifyWebhook(provider, { rawBody: SDK_BODY, headers: { authorization: await authFor(SDK_BODY, { secret: 'another-secret-of-43-characters-0123456789' }) } })).rejects.toThrow(/not a JWT signed with this API secret/)
    await expect(verifyWebhook(provider, { rawBody: SDK_BODY, headers: {} })).rejects.toThrow(/Authorization header is missing/)
    vi.setSystemTime(NOW + 311_000)
    await expect(verifyWebhook(provider, { rawBody: SDK_BODY, headers: { authorization: auth } })).rejects.toThrow(/expired/)
    await expect(receiver.receive(SDK_BODY, auth)).rejects.toThrow()
  })

  it('agrees with WebhookReceiver both ways on random bodies, tampering and clocks', async () => {
    const how = fc.constantFrom('as-is', 'other-body', 'other-secret', 'other-key', 'no-header', 'late', 'truncated')
    await fc.assert(
      fc.asyncProperty(fc.json().map((json) => `{"event":"participant_joined","id":"EV_1","data":${json}}`), how, async (body, variant) => {
        vi.setSystemTime(NOW)
        let auth: string | undefined = await authFor(body, {
          ...(variant === 'other-secret' ? { secret: 'another-secret-of-43-characters-0123456789' } : {}),
          ...(variant === 'other-key' ? { key: 'APIanotherkey00' } : {}),
        })
        if (variant === 'no-header') auth = undefined
        if (variant === 'truncated') auth = auth!.slice(0, -3)
        const sent = variant === 'other-body' ? `${body} ` : body
        if (variant === 'late') vi.setSystemTime(NOW + 400_000)
        expect(await ours(sent, auth)).toEqual(await theirs(sent, auth))
      }),
      { numRuns: process.env.CI ? 1000 : 200 },
    )
  }, 120_000)
})
