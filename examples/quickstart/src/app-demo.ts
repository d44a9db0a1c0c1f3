import type { DecodedToken } from '@calltoken/core'
import { DEMO_APPS, type DemoApp, type ServedToken } from './apps'
import { httpClient, type HttpStep } from './http'
import { AppError, startApp, type RunningApp, type StopResult } from './run-app'

export interface AppDemoResult {
  readonly app: DemoApp
  /** Where it listened (absent when it never came up). */
  readonly url?: string
  readonly health?: unknown
  /** Its temporary PGlite directory (already removed). */
  readonly dataDir?: string
  /** Every HTTP call made for the token, in order; the last one served it. */
  readonly steps: readonly HttpStep[]
  readonly served?: ServedToken
  /** The token read back by the matching adapter's `provider.decode`. */
  readonly decoded?: DecodedToken
  /** Why there is no token (or why it is not for the expected user and call). */
  readonly error?: string
  /** The app's output, kept when something failed. */
  readonly output?: string
  readonly stopped?: StopResult
  /** A token was served and decodes to the user and call the app's answers named. */
  readonly ok: boolean
}

export interface AppDemoOptions {
  /** Aborting (Ctrl-C) stops every app and removes its data; the results then say what was interrupted. */
  readonly signal?: AbortSignal
  /** Progress lines while the apps start. */
  readonly onProgress?: (line: string) => void
}

/** Starts every example app at once, gets one token from each over HTTP, and stops them all, whatever happens. */
export async function runAppDemos(apps: readonly DemoApp[] = DEMO_APPS, options: AppDemoOptions = {}): Promise<AppDemoResult[]> {
  return Promise.all(apps.map((app) => runAppDemo(app, options)))
}

/** One app: start, session JWT from its token script, the token route(s), decode, stop. Never throws. */
export async function runAppDemo(app: DemoApp, { signal = new AbortController().signal, onProgress }: AppDemoOptions = {}): Promise<AppDemoResult> {
  let running: RunningApp | undefined
  let steps: readonly HttpStep[] = []
  let served: ServedToken | undefined
  let decoded: DecodedToken | undefined
  let error: string | undefined
  let output: string | undefined
  const started = Date.now()
  try {
    running = await startApp(app, signal)
    onProgress?.(`  ${app.name}: healthy at ${running.url} after ${((Date.now() - started) / 1000).toFixed(1)} s`)
    const sessionJwt = await running.script(app.session.script, app.session.args)
    const http = httpClient(running.url, signal)
    steps = http.steps
    served = await app.getToken(http, sessionJwt)
    decoded = app.provider.decode(served.token)
    const { userId, callId } = served.expected
    if (decoded.userId !== userId || decoded.callId !== callId) {
      error = `the token is for user ${decoded.userId}, call ${decoded.callId}; expected user ${userId}, call ${callId}`
    }
  } catch (caught) {
    error = signal.aborted ? `interrupted (${String((signal.reason as Error | undefined)?.message ?? signal.reason)})` : caught instanceof Error ? caught.message : String(caught)
    if (!signal.aborted) output = caught instanceof AppError ? caught.output : running?.output()
  }
  const stopped = await running?.stop().catch((caught: unknown) => {
    error ??= `stopping it failed: ${caught instanceof Error ? caught.message : String(caught)}`
    return undefined
  })
  if (stopped && (stopped.forced || stopped.code !== 0) && !error) error = `it did not stop cleanly (code ${stopped.code}, signal ${stopped.signal})`
  if (error && output === undefined && !signal.aborted) output = running?.output()
  return {
    app,
    ...(running ? { url: running.url, health: running.health, dataDir: running.dataDir } : {}),
    steps,
    ...(served ? { served } : {}),
    ...(decoded ? { decoded } : {}),
    ...(error ? { error } : {}),
    ...(output ? { output } : {}),
    ...(stopped ? { stopped } : {}),
    ok: error === undefined,
  }
}
