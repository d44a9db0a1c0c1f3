// The live token-flow page (GET /) in a real Chromium against this app on 127.0.0.1: @calltoken/client gets a call
// token, refreshes it ahead of expiry, rides out a server restart, stops on a 401 after sign-out, and never has two
// token requests in flight. The page's clock is Playwright's, so a 60 s token's refresh comes without waiting a
// minute; the server keeps real time, and the source corrects for the difference from the answers' Date header.
import { mkdirSync, writeFileSync } from 'node:fs'
import { CHROMIUM_ARGS, CHROMIUM_PATH, describeWithChromium } from '@calltoken/test-kit/chromium'
import { chromium, type Browser, type Page } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { databaseVariants, type TestDatabase } from './support/databases'
import { SECRETS, startTestApp, type TestApp } from './support/app'

const pglite = databaseVariants.find((variant) => variant.name === 'pglite')!

interface Watch {
  /** Token requests in flight now, and the most ever. */
  inFlight: number
  maxInFlight: number
  requests: { path: string; status?: number; authorized: boolean }[]
}

/** Counts the page's requests to the token routes as Chromium sends and finishes them. */
function watchTokenRequests(page: Page): Watch {
  const watch: Watch = { inFlight: 0, maxInFlight: 0, requests: [] }
  const open = new Map<object, Watch['requests'][number]>()
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname
    if (!path.startsWith('/api/tokens/')) return
    const entry = { path, authorized: request.headers().authorization !== undefined }
    watch.requests.push(entry)
    open.set(request, entry)
    watch.maxInFlight = Math.max(watch.maxInFlight, ++watch.inFlight)
  })
  const done = (failed: boolean) => async (request: import('playwright-core').Request) => {
    const entry = open.get(request)
    if (!entry) return
    open.delete(request)
    watch.inFlight--
    if (!failed) entry.status = (await request.response())?.status()
  }
  page.on('requestfinished', done(false))
  page.on('requestfailed', done(true))
  return watch
}

let database: TestDatabase
let app: TestApp
let browser: Browser
let page: Page
const logs: string[] = []

const text = (selector: string) => page.locator(selector).innerText()
/** Advances the page's clock in steps (firing its timers) until `check` holds, letting real requests finish between. */
async function advanceUntil(check: () => Promise<boolean>, { stepMs, maxSteps }: { stepMs: number; maxSteps: number }): Promise<void> {
  for (let step = 0; step < maxSteps; step++) {
    if (await check()) return
    await page.clock.runFor(stepMs)
    await new Promise((resolve) => setTimeout(resolve, 150))
  }
  expect(await check(), `the page never got there; its log:\n${await text('#log')}`).toBe(true)
}

/** Waits in real time (the page's clock stands still) until `check` holds. */
async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  expect(await check(), `the page never got there; its log:\n${await text('#log')}`).toBe(true)
}

const state = () => page.locator('#status').getAttribute('data-state')

/** Opens the page and signs in as a demo user with its own sign-in. */
async function openSignedIn(userId: 'alice' | 'bob'): Promise<void> {
  await page.goto(app.url)
  await page.waitForSelector('body[data-ready="true"]')
  await page.selectOption('#user-select', userId)
  await page.click('#sign-in')
  await until(async () => (await text('#signed-in')).toLowerCase().startsWith(`signed in as ${userId}`))
}

describeWithChromium('the token-flow page in Chromium', () => {
  beforeAll(async () => {
    database = await pglite.create()
    app = await startTestApp(database)
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.cleanup()
  })

  it('shows the flow: a token, its expiry counting down, refreshes ahead of expiry, a restart, a sign-out', async () => {
    const context = await browser.newContext({ viewport: { width: 900, height: 1000 } })
    page = await context.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await page.clock.install()
    const watch = watchTokenRequests(page)

    await openSignedIn('bob')
    expect(await text('#provider')).toBe('stream')

    // Signed in as the demo member: ask for a 60 s member token.
    await page.selectOption('#validity', '60')
    await page.click('#start')
    await until(async () => (await state()) === 'live')
    expect(await text('#identity')).toBe('bob')
    expect(await text('#call')).toBe('default:team-standup')
    expect(await text('#role-shown')).toBe('member')
    expect(Number((await text('#countdown')).replace(' s', ''))).toBeGreaterThanOrEqual(58)
    const firstToken = await text('#token-info')

    // The expiry counts down on the page's clock.
    await page.clock.runFor(10_000)
    expect(Number((await text('#countdown')).replace(' s', ''))).toBeLessThanOrEqual(51)

    // Refreshed ahead of expiry (half way through a 60 s token), through the refresh route, with a new token.
    await advanceUntil(async () => (await text('#refresh-count')) === '1', { stepMs: 2_000, maxSteps: 20 })
    expect(watch.requests.map((r) => r.path)).toEqual(['/api/tokens/call', '/api/tokens/refresh'])
    expect(await text('#token-info')).not.toBe(firstToken)
    expect(Number((await text('#countdown')).replace(' s', ''))).toBeGreaterThanOrEqual(55)

    // A screenshot of the page as a person sees it: it rendered, with the token's fields in it.
    const screenshot = await page.screenshot({ fullPage: false })
    expectRendered(screenshot, await page.locator('#countdown').boundingBox())
    if (process.env.UPDATE_SCREENSHOT) {
      mkdirSync(new URL('../docs/', import.meta.url), { recursive: true })
      writeFileSync(new URL('../docs/token-flow-page.png', import.meta.url), screenshot)
    }

    // The server goes away: the next refresh fails, the page says it retries, the token stays usable.
    const port = new URL(app.url).port
    logs.push(...app.logs)
    await app.close()
    await advanceUntil(async () => (await state()) === 'retrying', { stepMs: 2_000, maxSteps: 25 })
    expect(await text('#countdown')).not.toBe('expired')
    // Back on the same port and data: the source's next retry renews with the same refresh token.
    app = await startTestApp(database, { env: { PORT: port } })
    await advanceUntil(async () => (await text('#refresh-count')) === '2', { stepMs: 1_000, maxSteps: 30 })
    expect(await state(), await text('#log')).toBe('live')

    // Sign-out: the next request carries no session, the route answers 401, and the source stops for good.
    await page.click('#sign-out')
    await page.click('#refresh-now')
    await until(async () => (await state()) === 'stopped')
    expect(await text('#status')).toContain('401 ERR_CALLTOKEN_UNAUTHENTICATED')
    const after = watch.requests.length
    await page.clock.runFor(300_000)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(watch.requests.length).toBe(after)
    expect(watch.requests.at(-1)).toMatchObject({ path: '/api/tokens/refresh', status: 401, authorized: false })

    // Never two token requests at once, and nothing the page saw or logged holds a secret.
    expect(watch.maxInFlight).toBe(1)
    expect(pageErrors).toEqual([])
    const everything = [...logs, ...app.logs, await page.content()].join('\n')
    for (const secret of SECRETS) expect(everything).not.toContain(secret)
    await context.close()
  }, 120_000)

  it('shows a refusal as the server words it: a member asking for the admin role gets 403, and the source stops', async () => {
    const context = await browser.newContext()
    page = await context.newPage()
    await openSignedIn('bob')
    await page.selectOption('#role', 'admin')
    await page.click('#start')
    await until(async () => (await state()) === 'stopped')
    expect(await text('#status')).toContain('403 ERR_CALLTOKEN_ROLE_NOT_ALLOWED')
    expect(await text('#identity')).toBe('–')
    await context.close()
  }, 60_000)
})

/** A PNG of the viewport's size whose pixels vary, with drawn text (dark pixels) inside the countdown's box. */
function expectRendered(png: Buffer, box: { x: number; y: number; width: number; height: number } | null): void {
  const image = PNG.sync.read(png)
  expect([image.width, image.height]).toEqual([900, 1000])
  const colours = new Set<number>()
  for (let i = 0; i < image.data.length; i += 4 * 97) colours.add(image.data.readUInt32BE(i))
  expect(colours.size).toBeGreaterThan(20)
  expect(box).not.toBeNull()
  let dark = 0
  for (let y = Math.floor(box!.y); y < box!.y + box!.height; y++) {
    for (let x = Math.floor(box!.x); x < box!.x + box!.width; x++) {
      const i = (y * image.width + x) * 4
      if (image.data[i]! + image.data[i + 1]! + image.data[i + 2]! < 300) dark++
    }
  }
  expect(dark, 'the countdown has no drawn text').toBeGreaterThan(30)
}
