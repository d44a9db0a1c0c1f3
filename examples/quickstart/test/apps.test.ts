// The app part of `pnpm demo`, end to end: three real servers as child processes, real HTTP, real PGlite.
import { existsSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { runAppDemos, type AppDemoResult } from '../src/app-demo'
import { DEMO_APPS } from '../src/apps'
import { formatAppResult } from '../src/print-app'

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('the example apps over HTTP', () => {
  it('starts each app on its embedded defaults, gets a token from each over HTTP, and stops them all', async () => {
    // Nothing from the developer's shell reaches the apps: any of these would break them if it did.
    vi.stubEnv('NODE_ENV', 'production')
    vi.stubEnv('DATABASE_URL', 'postgres://nobody@127.0.0.1:1/not-a-database')
    vi.stubEnv('PORT', 'not-a-port')
    vi.stubEnv('STREAM_API_SECRET', 'x')

    const results = await runAppDemos(DEMO_APPS)
    const byName = new Map(results.map((result) => [result.app.name, result]))
    const get = (name: string): AppDemoResult => byName.get(name)!

    for (const result of results) {
      expect(result.ok, `${result.app.name}: ${result.error}\n${result.output ?? ''}`).toBe(true)
      expect(result.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(result.decoded).toMatchObject(result.served!.expected)
      // Signed with the documented demo credentials (the apps' embedded defaults), and not expired.
      expect(await result.app.provider.verify(result.served!.token)).toMatchObject(result.served!.expected)
      expect(result.stopped).toEqual({ code: 0, signal: null, forced: false })
      expect(existsSync(result.dataDir!)).toBe(false)
      // What the demo prints: every claim in full, the helper command as the READMEs give it, no internal labels.
      const printed = formatAppResult(result)
      expect(printed).toContain(`=== ${result.app.name}: ${result.app.title} ===`)
      expect(printed).toContain(`(\`npx -y pnpm@10.34.9 --silent --filter ${result.app.packageName} token ${result.app.session.args.join(' ')}\`)`)
      expect(printed).not.toContain('[Object]')
      expect(printed).not.toMatch(/\bseeds?\b/i)
    }

    const streamResult = get('stream-express')
    expect(streamResult.served!.route).toBe('POST /api/tokens/call')
    expect(streamResult.decoded).toMatchObject({ provider: 'stream', userId: 'alice', callId: 'team-meeting-123' })
    expect(streamResult.decoded!.claims).toMatchObject({ role: 'moderator', call_cids: ['default:team-meeting-123'] })

    const agoraResult = get('agora-calling-fastify')
    expect(agoraResult.steps.map((s) => `${s.method} ${s.path} ${s.status}`)).toEqual([
      'POST /api/calling/create 201',
      'POST /api/calling/1/join 200',
      'POST /api/calling/token 200',
    ])
    expect(agoraResult.decoded).toMatchObject({ provider: 'agora', userId: '456', callId: expect.stringMatching(/^call_\d+_[0-9a-f]{32}$/) })
    // Agora's privileges by name, each ending with the token.
    const agoraEnd = new Date(agoraResult.decoded!.expiresAt * 1000).toISOString()
    expect(formatAppResult(agoraResult)).toContain(`privileges: 'joinChannel until ${agoraEnd}, publishAudio until ${agoraEnd}`)

    const twilioResult = get('twilio-appointments-express')
    expect(twilioResult.steps.map((s) => `${s.method} ${s.path} ${s.status}`)).toEqual([
      'POST /api/appointments/video-room/47/ 201',
      'GET /api/appointments/video-token/47/ 200',
    ])
    expect(twilioResult.decoded).toMatchObject({
      provider: 'twilio',
      userId: '2-jane.doe@example.com',
      callId: expect.stringMatching(/^apt-47-\d+-[0-9a-f]{8}$/),
    })
  }, 180_000)
})
