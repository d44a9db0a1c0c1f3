import { build } from 'esbuild'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { CHROMIUM_ARGS, CHROMIUM_PATH, describeWithChromium } from '@calltoken/test-kit/chromium'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'

// Each SDK glue with the real client SDK (livekit-client, @zoom/videosdk, daily-js, twilio-video, agora-rtc-sdk-ng)
// in Chromium, as far as the code goes before it connects: every request leaving 127.0.0.1 is aborted, so each SDK
// fails at its first network step, with its own error, which shows the glue's call got that far.

let server: Server
let browser: Browser
let origin = ''
let result: Awaited<ReturnType<typeof runInPage>>
const requests: string[] = []

async function runInPage() {
  const page = await browser.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.route(
    (url) => url.origin !== origin,
    (route) => (requests.push(route.request().url()), route.abort()),
  )
  page.on('websocket', (socket) => requests.push(socket.url()))
  await page.goto(`${origin}/`)
  await page.waitForFunction(() => typeof (globalThis as { runSdks?: unknown }).runSdks === 'function', null, { timeout: 30_000 })
  const outcome = await page.evaluate(() => (globalThis as unknown as { runSdks(): Promise<any> }).runSdks())
  await page.close()
  return { ...outcome, errors } as {
    livekit: { ok: boolean; name?: string; message?: string }
    zoom: { ok: boolean; type?: string; message?: string }
    daily: { ok: boolean; message?: string }
    twilio: { ok: boolean; name?: string; code?: number }
    agora: { state: string; joins: unknown[][]; renewals: string[] }
    errors: string[]
  }
}

describeWithChromium('each SDK glue with the real client SDK, in Chromium', () => {
  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [fileURLToPath(new URL('./browser/sdk-page.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      write: false,
      logLevel: 'error',
      define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    })
    const script = bundle.outputFiles[0]!.text
    server = createServer((req, res) => {
      if (req.url === '/sdks.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><script type="module" src="/sdks.js"></script>')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true })
    result = await runInPage()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => server?.close(resolve))
  })

  it('LiveKit: Room.connect gets the answer\'s server URL and token, and fails only at the signal connection', () => {
    expect(result.livekit).toMatchObject({ ok: false, name: 'ConnectionError' })
    expect(result.livekit.message).toMatch(/signal connection/)
    // livekit-client sends the source's token to the answer's server URL on its first request.
    const signal = requests.find((url) => url.startsWith('ws://127.0.0.1:9/rtc'))
    expect(new URL(signal ?? 'ws://none').searchParams.get('access_token')).toMatch(/^eyJ.+\.test-\d+$/)
  })

  it("Zoom: the real client's join is reached and refuses for want of a connection", () => {
    expect(result.zoom).toMatchObject({ ok: false, type: 'JOIN_MEETING_FAILED' })
    expect(requests.some((url) => new URL(url).hostname === 'zoom.us')).toBe(true)
  })

  it('Daily: join is reached with the room URL and stops at loading its call machine from the network', () => {
    expect(result.daily.ok).toBe(false)
    expect(result.daily.message).toMatch(/call object bundle/)
    expect(requests.some((url) => url.includes('call-machine'))).toBe(true)
  })

  it('Twilio: Video.connect accepts the token and fails at signaling (53000)', () => {
    expect(result.twilio).toMatchObject({ ok: false, name: 'TwilioError', code: 53000 })
  })

  it('Agora: no renewToken while the real client is DISCONNECTED; did-expire joins with appId, channel, token and uid', () => {
    expect(result.agora.state).toBe('DISCONNECTED')
    expect(result.agora.renewals).toEqual([])
    expect(result.agora.joins).toHaveLength(1)
    expect(result.agora.joins[0]!.slice(0, 2)).toEqual(['0123456789abcdef0123456789abcdef', 'standup'])
    expect(result.agora.joins[0]![2]).toMatch(/^eyJ.+\.test-\d+$/)
    expect(result.agora.joins[0]![3]).toBe(42)
  })

  it('no uncaught error on the page', () => {
    expect(result.errors).toEqual([])
  })
})
