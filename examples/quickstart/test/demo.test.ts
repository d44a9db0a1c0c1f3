import { FIXED_NOW_S, fixedClock } from '@calltoken/test-kit'
import { describe, expect, it } from 'vitest'
import { demoProviders, runDemo } from '../src/demo'

describe('quickstart demo', () => {
  const demos = demoProviders()

  it('runs on the demo credentials when no environment variable is set', () => {
    expect(demos.map((d) => d.provider.id)).toEqual(['stream', 'agora', 'twilio'])
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
})
