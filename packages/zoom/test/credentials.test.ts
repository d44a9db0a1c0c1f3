import { isCallTokenError, type CallTokenError } from '@calltoken/core'
import { errorText } from '@calltoken/test-kit'
import { zoom, type ZoomOptions } from '@calltoken/zoom'
import { describe, expect, it } from 'vitest'
import { credentials, SDK_KEY, SDK_SECRET } from './fixtures'

function configErrorOf(options: unknown): CallTokenError {
  try {
    zoom(options as ZoomOptions)
  } catch (error) {
    expect(isCallTokenError(error)).toBe(true)
    expect((error as CallTokenError).code).toBe('ERR_CALLTOKEN_INVALID_CONFIG')
    expect(errorText(error)).not.toContain(SDK_SECRET)
    return error as CallTokenError
  }
  throw new Error('expected ERR_CALLTOKEN_INVALID_CONFIG, but zoom() accepted the options')
}

describe('zoom(): options are checked at creation', () => {
  it('accepts Video SDK credentials, trimmed', () => {
    expect(zoom({ sdkKey: ` ${SDK_KEY}`, sdkSecret: `${SDK_SECRET} ` }).limits).toMatchObject({ minValiditySeconds: 1800, maxValiditySeconds: 172_800, userTokenNeedsCall: true })
  })

  it('names a missing, placeholder, short or repeated credential, never its value', () => {
    expect(configErrorOf({ sdkSecret: SDK_SECRET }).message).toMatch(/sdkKey is required \(usually from ZOOM_VIDEO_SDK_KEY\)/)
    expect(configErrorOf({ sdkKey: SDK_KEY }).message).toMatch(/sdkSecret is required \(usually from ZOOM_VIDEO_SDK_SECRET\)/)
    expect(configErrorOf({ sdkKey: '<sdk key>', sdkSecret: SDK_SECRET }).message).toMatch(/sdkKey looks like a placeholder/)
    expect(configErrorOf({ sdkKey: SDK_KEY, sdkSecret: SDK_SECRET.slice(0, 15) }).message).toMatch(/sdkSecret is too short \(15 characters; a real one has at least 16\)/)
    expect(configErrorOf({ sdkKey: SDK_SECRET, sdkSecret: SDK_SECRET }).message).toMatch(/sdkKey and sdkSecret are the same value/)
  })

  it("refuses Meeting SDK and OAuth option names, and a roleMap to no Zoom role", () => {
    expect(configErrorOf({ ...credentials, appKey: SDK_KEY }).message).toMatch(/unknown option "appKey"; the options are sdkKey, sdkSecret, roleMap/)
    expect(configErrorOf({ ...credentials, roleMap: { admin: 'cohost' } }).message).toMatch(/roleMap.admin must be 'host' or 'participant'/)
    expect(configErrorOf({ ...credentials, roleMap: 'host' }).message).toMatch(/roleMap must be an object/)
  })
})
