import { createHmac } from 'node:crypto'
import type { CallTokenProvider, WebhookEvent } from '@calltoken/core'
import type { WebhookRouteOptions } from '@calltoken/core/http'
import { afterEach, describe, expect, it } from 'vitest'
import type { ContractClient } from './http-contract'

/**
 * Mounts one webhook route (`webhookHandler`, `webhookRoute`, `createFetchWebhookHandler`…) at `path` and returns a
 * client for it. With `parseBodyFirst`, an app-wide JSON parser runs before the route (where the framework has one).
 */
export type MakeWebhookContractClient = (options: WebhookRouteOptions<any>, path: string, setup?: { parseBodyFirst?: boolean }) => Promise<ContractClient>

export interface WebhookContractOptions {
  /** The framework's name, in the suite's titles. */
  framework: string
  /** Mounts a webhook route with the given options at `path` and returns a client for it. */
  makeClient: MakeWebhookContractClient
  /** The URL the framework sees for a request to `path` sent with the header `host: hooks.example.com`. */
  seenUrl(path: string): string
  /** Whether the framework has app-wide body parsers that can run before the route (Express: yes; Fastify's are encapsulated). */
  hasGlobalParsers: boolean
  /** A Stream adapter and its API secret (Stream signs with it). */
  stream: { provider: CallTokenProvider; apiSecret: string }
  /** A Twilio adapter (its deliveries are signed over the URL). */
  twilio: CallTokenProvider
  /** A Zoom adapter (its URL challenge needs an answer). */
  zoom: CallTokenProvider
}

const HOST = { host: 'hooks.example.com' }
const AUTH_TOKEN = 'contract-twilio-auth-token-0123'
const ZOOM_SECRET = 'contract-zoom-webhook-secret'

/**
 * The HTTP contract of the webhook routes; each binding runs it, so they cannot drift.
 *
 * @example
 * runWebhookContract({ framework: 'koa', makeClient, seenUrl: (path) => `http://hooks.example.com${path}`, hasGlobalParsers: true, stream, twilio, zoom })
 */
export function runWebhookContract({ framework, makeClient, seenUrl, hasGlobalParsers, stream, twilio, zoom }: WebhookContractOptions): void {
  const clients: ContractClient[] = []
  const open = async (options: WebhookRouteOptions<any>, path: string, setup?: { parseBodyFirst?: boolean }) => {
    const client = await makeClient(options, path, setup)
    clients.push(client)
    return client
  }
  const recorder = () => {
    const events: WebhookEvent[] = []
    return { events, onEvent: (event: WebhookEvent) => void events.push(event) }
  }
  const body = JSON.stringify({ type: 'call.session_started', call_cid: 'default:standup' })
  const streamSigned = (text: string) => createHmac('sha256', stream.apiSecret).update(text).digest('hex')

  describe(`${framework}: webhook routes`, () => {
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.close()))
    })

    it('a verified delivery reaches onEvent and is answered 200 { received: true }, no-store', async () => {
      const { events, onEvent } = recorder()
      const client = await open({ provider: stream.provider, onEvent }, '/webhooks/stream')
      const response = await client.post('/webhooks/stream', { body, headers: { 'x-signature': streamSigned(body), 'content-type': 'application/json', 'x-webhook-id': 'wh-7' } })
      expect(response.status).toBe(200)
      expect(response.body).toEqual({ received: true })
      expect(response.headers['cache-control']).toBe('no-store')
      expect(events).toEqual([{ provider: 'stream', type: 'call.session_started', id: 'wh-7', payload: JSON.parse(body) }])
    })

    it('a forged or altered delivery is 401 ERR_CALLTOKEN_INVALID_SIGNATURE, never reaching onEvent, with no secret in the answer', async () => {
      const { events, onEvent } = recorder()
      const client = await open({ provider: stream.provider, onEvent }, '/webhooks/stream')
      for (const headers of [{ 'x-signature': streamSigned(`${body} `) }, {}] as Record<string, string>[]) {
        const response = await client.post('/webhooks/stream', { body, headers: { ...headers, 'content-type': 'application/json' } })
        expect(response.status).toBe(401)
        expect(response.body).toMatchObject({ success: false, code: 'ERR_CALLTOKEN_INVALID_SIGNATURE' })
        expect(JSON.stringify(response.body)).not.toContain(stream.apiSecret)
      }
      expect(events).toEqual([])
    })

    it('Twilio: the URL the framework saw is the signed one; a configured url overrides it', async () => {
      const params = { RoomName: 'appointment-47', StatusCallbackEvent: 'room-ended' }
      const form = new URLSearchParams(params).toString()
      const sign = (url: string) => {
        const data = Object.keys(params).sort().reduce((acc, key) => acc + key + params[key as keyof typeof params], url)
        return createHmac('sha1', AUTH_TOKEN).update(data).digest('base64')
      }
      const headers = { ...HOST, 'content-type': 'application/x-www-form-urlencoded' }
      const { events, onEvent } = recorder()
      const seen = await open({ provider: twilio, secret: AUTH_TOKEN, onEvent }, '/webhooks/twilio')
      const ok = await seen.post('/webhooks/twilio?site=1', { body: form, headers: { ...headers, 'x-twilio-signature': sign(seenUrl('/webhooks/twilio?site=1')) } })
      expect(ok.status).toBe(200)
      expect(events.map((e) => [e.type, e.payload])).toEqual([['room-ended', params]])
      const configured = await open({ provider: twilio, secret: AUTH_TOKEN, url: 'https://api.example.com/twilio', onEvent }, '/webhooks/twilio')
      expect((await configured.post('/webhooks/twilio', { body: form, headers: { ...headers, 'x-twilio-signature': sign('https://api.example.com/twilio') } })).status).toBe(200)
      expect((await configured.post('/webhooks/twilio', { body: form, headers: { ...headers, 'x-twilio-signature': sign(seenUrl('/webhooks/twilio')) } })).status).toBe(401)
    })

    it("Zoom: the url_validation challenge is answered with Zoom's expected JSON", async () => {
      const challenge = JSON.stringify({ event: 'endpoint.url_validation', payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' } })
      const timestamp = String(Math.floor(Date.now() / 1000))
      const signature = `v0=${createHmac('sha256', ZOOM_SECRET).update(`v0:${timestamp}:${challenge}`).digest('hex')}`
      const client = await open({ provider: zoom, secret: ZOOM_SECRET, onEvent: () => undefined }, '/webhooks/zoom')
      const response = await client.post('/webhooks/zoom', { body: challenge, headers: { 'content-type': 'application/json', 'x-zm-signature': signature, 'x-zm-request-timestamp': timestamp } })
      expect(response.status).toBe(200)
      expect(response.body).toEqual({ plainToken: 'qgg8vlvZRS6UYooatFL8Aw', encryptedToken: createHmac('sha256', ZOOM_SECRET).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex') })
    })

    it('an onEvent that throws goes to the framework (a 500, so the provider delivers again)', async () => {
      const client = await open({ provider: stream.provider, onEvent: () => Promise.reject(new Error('database down')) }, '/webhooks/stream')
      const response = await client.post('/webhooks/stream', { body, headers: { 'x-signature': streamSigned(body), 'content-type': 'application/json' } })
      expect(response).toMatchObject({ status: 500, body: { handledBy: 'framework' } })
    })

    it('refuses at start-up a route without onEvent, or without the secret its provider signs with', async () => {
      await expect(makeClient({ provider: stream.provider } as never, '/w')).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG' })
      await expect(makeClient({ provider: twilio, onEvent: () => undefined }, '/w')).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG', message: expect.stringMatching(/Auth Token/) })
    })

    // Express decodes Content-Encoding before the route (a mismatch is its 400, an unknown encoding 415); Fastify and
    // fetch hand over the bytes as sent, whose signature then decides. Never a 5xx either way.
    it('a body that is not what its Content-Encoding says is answered, never a 5xx', async () => {
      const client = await open({ provider: stream.provider, onEvent: () => {} }, '/webhooks/stream')
      for (const encoding of ['gzip', 'br', 'deflate', 'x-unknown']) {
        const response = await client.post('/webhooks/stream', { body, headers: { 'x-signature': streamSigned(body), 'content-type': 'application/json', 'content-encoding': encoding } })
        expect([200, 400, 415], encoding).toContain(response.status)
        expect(response.headers['cache-control']).toBe('no-store')
      }
    })

    it('a body over 1 MiB is 413, unread past the limit', async () => {
      const client = await open({ provider: stream.provider, onEvent: () => undefined }, '/webhooks/stream')
      const response = await client.post('/webhooks/stream', { body: `{"x":"${'a'.repeat(1024 * 1024)}"}`, headers: { 'x-signature': 'x', 'content-type': 'application/json' } })
      expect(response.status).toBe(413)
      expect(response.body).toMatchObject({ code: 'ERR_CALLTOKEN_BODY_TOO_LARGE' })
    })

    if (hasGlobalParsers) {
      it('a body an app-wide parser already read is refused with a message saying to mount the route before it', async () => {
        const client = await open({ provider: stream.provider, onEvent: () => undefined }, '/webhooks/stream', { parseBodyFirst: true })
        const response = await client.post('/webhooks/stream', { body, headers: { 'x-signature': streamSigned(body), 'content-type': 'application/json' } })
        expect(response.status).toBe(500)
        expect(response.body).toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG', error: expect.stringMatching(/mount the webhook route before it/) })
      })
    }
  })
}
