import { FIXED_NOW_S, fixedClock } from '@calltoken/test-kit'
import { describe, expect, it } from 'vitest'
import { demoProviders, runDemo } from '../src/demo'
import { formatDemoResult } from '../src/print-demo'
import { formatClaims } from '../src/readable-claims'

describe('quickstart demo', () => {
  const demos = demoProviders()

  it('runs on the demo credentials when no environment variable is set', () => {
    expect(demos.map((d) => d.provider.id)).toEqual(['stream', 'agora', 'twilio', 'livekit', 'zoom', 'daily'])
    const stream = demos.find((d) => d.provider.id === 'stream')
    if (!process.env.STREAM_API_SECRET) expect(stream!.notes).toContain('STREAM_API_SECRET not set: using the documented demo value')
  })

  it.each(demos.map((d) => [d.provider.id, d] as const))('%s: mints a user and a call token that verify', async (_, demo) => {
    const result = await runDemo(demo, fixedClock())
    expect(result.verified.user).toMatchObject({ userId: 'alice', expiresAt: FIXED_NOW_S + 3600 })
    expect(result.verified.call).toMatchObject({ userId: 'alice', callId: 'team-meeting-123', expiresAt: FIXED_NOW_S + 7200 })
    expect(result.callToken.role).toBe('moderator')
    expect(result.callToken.expiresAt.getTime()).toBe((FIXED_NOW_S + 7200) * 1000)
  })

  it.each(demos.map((d) => [d.provider.id, d] as const))('%s: prints every claim in full, in plain words', async (_, demo) => {
    const printed = formatDemoResult(await runDemo(demo, fixedClock()))
    expect(printed).toContain(`=== ${demo.provider.id} ===`)
    expect(printed).toContain('expires 2026-11-24T14:00:00.000Z (7200 s); connect with {')
    expect(printed).not.toContain('[Object]')
    expect(printed).not.toContain('[Array]')
    expect(printed).not.toMatch(/\bseeds?\b/i)
  })

  it('prints Agora privileges by name with the time each ends', async () => {
    const printed = formatDemoResult(await runDemo(demos.find((d) => d.provider.id === 'agora')!, fixedClock()))
    const userEnd = new Date((FIXED_NOW_S + 3600) * 1000).toISOString()
    const callEnd = new Date((FIXED_NOW_S + 7200) * 1000).toISOString()
    expect(printed).toContain(`name: 'rtm', privileges: 'login until ${userEnd}'`)
    expect(printed).toContain(
      `privileges: 'joinChannel until ${callEnd}, publishAudio until ${callEnd}, publishVideo until ${callEnd}, publishData until ${callEnd}'`,
    )
  })

  it('leaves other claims, and other providers, as they are; unknown privileges keep their id', () => {
    expect(formatClaims('stream', { user_id: 'alice', call_cids: ['default:x'] })).toBe("{ user_id: 'alice', call_cids: [ 'default:x' ] }")
    expect(formatClaims('agora', { issueTs: 100, services: [{ name: 'rtc', privileges: { 1: 0, 9: 50 } }] })).toContain(
      "privileges: 'joinChannel (0), privilege 9 until 1970-01-01T00:02:30.000Z'",
    )
  })
})
