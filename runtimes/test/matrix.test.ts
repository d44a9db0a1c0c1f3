import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { CALL_ID, ROLE, USER_ID } from '../src/credentials.mjs'
import { CASES, PROVIDERS, type Provider } from './cases'
import { type Failed, type Minted, runMatrix } from './matrix'
import { RECHECK } from './recheck'

const RUNTIMES_DIR = fileURLToPath(new URL('..', import.meta.url))
const KINDS = ['user', 'call'] as const

/** What service.verifyToken returned in the runtime, beyond provider/userId/callId/expiresAt that mint.mjs checked. */
const DECODED: Record<Provider, Record<(typeof KINDS)[number], Record<string, unknown>>> = {
  stream: { user: {}, call: { callType: 'default', providerRole: ROLE } },
  agora: { user: {}, call: { providerRole: 'publisher' } },
  twilio: { user: {}, call: {} },
  livekit: { user: {}, call: { providerRole: 'moderator' } },
  zoom: { user: { callId: CALL_ID, providerRole: 'participant' }, call: { providerRole: 'participant' } },
  daily: { user: { callId: CALL_ID, providerRole: 'participant' }, call: { providerRole: 'participant' } },
}

// One test per runtime: the runtime mints a user and a call token for every provider and verifies them itself;
// then each token it minted is checked again here, in Node, by the official tools (recheck.ts). A runtime that
// fails today has its failure asserted exactly (cases.ts); when it starts to pass, its test fails and says so.
/** The event each provider's delivery (src/webhook-deliveries.mjs) holds: its type and id. */
const WEBHOOK_EVENTS: Record<Provider, [string, string | null]> = {
  stream: ['call.session_started', 'wh-matrix'],
  agora: ['101', 'n-matrix'],
  twilio: ['room-ended', null],
  livekit: ['room_finished', 'EV_matrix'],
  zoom: ['session.ended', null],
  daily: ['meeting.ended', 'mtg-matrix'],
}

describe('runtime matrix: the built packages in every runtime', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const output = await runMatrix(c.file, c.args, RUNTIMES_DIR)
      const extra = Object.entries(output)
        .filter(([key]) => !['results', 'resolved', 'bundled', 'runtime', 'version', 'backend', 'fetchBinding', 'webhooks'].includes(key))
        .map(([key, value]) => `${key} ${JSON.stringify(value)}`)
      const status = (r: Minted | Failed) => ('verified' in r ? '✓ minted and verified' : `✗ ${r.stage}: ${r.error.message.split('\n')[0]}`)
      console.log(
        [
          `[runtimes] ${c.name}: ${output.runtime} ${output.version}, signing with ${output.backend}${extra.length ? `, ${extra.join(', ')}` : ''}`,
          ...output.results.map((r) => `[runtimes]   ${r.provider} ${r.kind} token: ${status(r)}`),
        ].join('\n'),
      )

      expect(output.runtime).toBe(c.runtime)
      expect(output.backend).toBe(c.backend)
      // @calltoken/fetch serves a call token there, as a Worker or Bun.serve would call it, and 404s another path.
      expect(output.fetchBinding).toEqual({ status: 200, notFound: 404, cacheControl: 'no-store', verified: true, userId: USER_ID })
      // verifyWebhook there: every provider whose package runs accepts its signed delivery and refuses one changed byte.
      for (const provider of PROVIDERS) {
        if (c.today[provider as Provider] !== 'pass') continue
        const [type, id] = WEBHOOK_EVENTS[provider as Provider]
        expect(output.webhooks.find((w) => w.provider === provider), `${provider} webhook`).toEqual({ provider, type, id, tampered: 'ERR_CALLTOKEN_INVALID_SIGNATURE' })
      }
      if (c.extra) expect(output).toMatchObject(c.extra)
      // The built dist, never the sources (the root tsconfig's paths point there, and Bun and esbuild read it).
      if (output.resolved) {
        for (const [name, url] of Object.entries(output.resolved)) expect(url).toMatch(new RegExp(`/packages/${name}/dist/index\\.js$`))
      } else {
        expect(output.bundled?.length).toBeGreaterThan(0)
        for (const file of output.bundled!) expect(file).toMatch(/(^|\/)packages\/(core|stream|agora|twilio|livekit|zoom|daily|fetch)\/dist\//)
        // Bundled for the edge, only the web backends: no node:crypto or node:zlib file reaches the bundle.
        expect(output.bundled!.filter((file) => /\/dist\/(crypto|zlib)\//.test(file)).sort()).toEqual(['packages/agora/dist/zlib/web.js', 'packages/core/dist/crypto/web.js'].map((f) => expect.stringContaining(f)))
      }
      expect(output.results.map((r) => `${r.provider}/${r.kind}`)).toEqual(PROVIDERS.flatMap((p) => KINDS.map((k) => `${p}/${k}`)))

      const nowPassing: string[] = []
      for (const result of output.results) {
        const provider = result.provider as Provider
        const today = c.today[provider]
        if (today === 'pass') {
          expect(result, `${provider} ${result.kind}`).toMatchObject({ verified: true })
          const minted = result as Minted
          expect(minted.decoded).toMatchObject({
            provider,
            userId: USER_ID,
            expiresAt: minted.expiresAt,
            ...(result.kind === 'call' ? { callId: CALL_ID } : {}),
            ...DECODED[provider][result.kind],
          })
          await RECHECK[provider]!(minted)
        } else if ('verified' in result) {
          nowPassing.push(`${provider} ${result.kind}`)
        } else {
          const failed = result as Failed
          expect(failed).toEqual({
            provider,
            kind: result.kind,
            stage: today.stage,
            ...(today.package ? { package: today.package } : {}),
            error: {
              code: today.code,
              message: expect.stringMatching(today.message),
              ...(today.cause ? { cause: { code: today.cause.code, message: expect.stringMatching(today.cause.message) } } : {}),
            },
          })
        }
      }
      if (nowPassing.length > 0) {
        throw new Error(
          `${c.name} now mints and verifies ${nowPassing.join(', ')}: set those providers to 'pass' in runtimes/test/cases.ts ` +
            '(the Node-side re-check then runs on them) and update runtimes/README.md',
        )
      }
    })
  }
})
