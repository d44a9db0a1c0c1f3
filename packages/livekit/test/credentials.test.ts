import { isCallTokenError, type CallTokenError } from '@calltoken/core'
import { livekit, type LiveKitOptions } from '@calltoken/livekit'
import { errorText } from '@calltoken/test-kit'
import { describe, expect, it } from 'vitest'
import { API_KEY, API_SECRET, credentials, SERVER_URL } from './fixtures'

/** The INVALID_CONFIG error `livekit(options)` throws; fails when it does not throw one. */
function configErrorOf(options: unknown): CallTokenError {
  try {
    livekit(options as LiveKitOptions)
  } catch (error) {
    expect(isCallTokenError(error)).toBe(true)
    expect((error as CallTokenError).code).toBe('ERR_CALLTOKEN_INVALID_CONFIG')
    expect(errorText(error)).not.toContain(API_SECRET)
    return error as CallTokenError
  }
  throw new Error('expected ERR_CALLTOKEN_INVALID_CONFIG, but livekit() accepted the options')
}

describe('livekit(): options are checked at creation', () => {
  it("accepts LiveKit Cloud's credentials and a self-hosted server's key names, trimmed", () => {
    expect(livekit({ apiKey: ` ${API_KEY} `, apiSecret: `${API_SECRET}\n` }).id).toBe('livekit')
    expect(livekit({ apiKey: 'my-server-key', apiSecret: API_SECRET, serverUrl: 'ws://localhost:7880' }).id).toBe('livekit')
  })

  it('names a missing, placeholder, short or swapped credential, never its value', () => {
    expect(configErrorOf({ apiSecret: API_SECRET }).message).toMatch(/apiKey is required \(usually from LIVEKIT_API_KEY\)/)
    expect(configErrorOf({ apiKey: API_KEY }).message).toMatch(/apiSecret is required \(usually from LIVEKIT_API_SECRET\)/)
    expect(configErrorOf({ apiKey: 'your-api-key', apiSecret: API_SECRET }).message).toMatch(/apiKey looks like a placeholder/)
    expect(configErrorOf({ apiKey: API_KEY, apiSecret: 'secret' }).message).toMatch(/apiSecret looks like a placeholder/)
    expect(configErrorOf({ apiKey: API_KEY, apiSecret: API_SECRET.slice(0, 31) }).message).toMatch(/apiSecret is too short \(31 characters; a real one has at least 32\)/)
    expect(configErrorOf({ apiKey: API_SECRET, apiSecret: API_SECRET }).message).toMatch(/apiKey and apiSecret are the same value/)
  })

  it('refuses an unknown option with a hint, a serverUrl clients cannot connect to, and a roleMap to no LiveKit role', () => {
    expect(configErrorOf({ ...credentials, apiSecrett: API_SECRET }).message).toMatch(/unknown option "apiSecrett" \(did you mean apiSecret\?\)/)
    for (const serverUrl of ['my-project.livekit.cloud', 'ftp://x.livekit.cloud', '', 42]) {
      expect(configErrorOf({ ...credentials, serverUrl }).message).toMatch(/serverUrl must be the URL clients connect to/)
    }
    expect(configErrorOf({ ...credentials, serverUrl: `wss://user:${API_SECRET}@x.livekit.cloud` }).message).toMatch(/must not contain a user name or password/)
    expect(configErrorOf({ ...credentials, roleMap: { member: 'publisher' } }).message).toMatch(/roleMap.member must be 'admin', 'moderator', 'member' or 'viewer'/)
    expect(configErrorOf({ ...credentials, roleMap: ['viewer'] }).message).toMatch(/roleMap must be an object/)
    expect(livekit({ ...credentials, serverUrl: SERVER_URL, roleMap: { member: 'viewer' } }).id).toBe('livekit')
  })
})
