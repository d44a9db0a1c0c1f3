import { createCallToken, createUserToken, definePolicy, isCallTokenError } from '@calltoken/core'
import { FIXED_NOW_MS } from '@calltoken/test-kit'
import { zoom, ZOOM_GEO_REGIONS, type ZoomExtras } from '@calltoken/zoom'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { credentials, jsrsasignRead, sampleToken } from './fixtures'

// The sample reads Date.now(); ours reads the service clock. Both see the same fake time.
const now = () => Date.now()
const policy = definePolicy({ clockSkewSeconds: 0 })
const provider = zoom(credentials)

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(FIXED_NOW_MS)
})
afterEach(() => vi.useRealTimers())

/** The sample's request body for the same extras. */
const sampleFields = (extras: ZoomExtras) => ({
  sessionKey: extras.sessionKey,
  geoRegions: extras.geoRegions?.join(','),
  cloudRecordingOption: extras.cloudRecording?.option,
  cloudRecordingElection: extras.cloudRecording?.election,
})

describe("zoom extras vs Zoom's auth-endpoint sample", () => {
  it('sessionKey, geoRegions and cloudRecording: byte for byte the sample token with the same request', async () => {
    const extras: ZoomExtras = { sessionKey: 'ticket-4711', geoRegions: ['US', 'DE'], cloudRecording: { option: 1, election: 1 } }
    const ours = await createCallToken({ userId: 'alice', callId: 'Support 1', role: 'admin', validityInSeconds: 7200, extras }, { provider, policy, now })
    expect(ours.token).toBe(sampleToken({ role: 1, sessionName: 'Support 1', expirationSeconds: 7200, userIdentity: 'alice', ...sampleFields(extras) }))
    expect(jsrsasignRead(ours.token)).toMatchObject({ session_key: 'ticket-4711', geo_regions: 'US,DE', cloud_recording_option: 1, cloud_recording_election: 1 })
  })

  it('a user token carries them too', async () => {
    const issued = await createUserToken({ userId: 'bob', callId: 'Support 1', extras: { sessionKey: 'k' } }, { provider, policy, now })
    expect(jsrsasignRead(issued.token).session_key).toBe('k')
  })

  it("refuses what the sample's validator refuses", async () => {
    const refusals: [Record<string, unknown>, string][] = [
      [{ sessionKey: 'k'.repeat(37) }, 'extras.sessionKey must be at most 36 characters'],
      [{ geoRegions: ['US', 'EU'] }, `extras.geoRegions.1 must be one of ${ZOOM_GEO_REGIONS.join(', ')}`],
      [{ geoRegions: 'US,DE' }, `extras.geoRegions must be a non-empty list of ${ZOOM_GEO_REGIONS.join(', ')}`],
      [{ cloudRecording: { option: 2 } }, 'extras.cloudRecording.option must be one of 0, 1'],
      [{ cloudRecording: { record: 1 } }, 'extras.cloudRecording.record is not a known field; known: option, election'],
    ]
    for (const [extras, message] of refusals) {
      await expect(createCallToken({ userId: 'alice', callId: 's', extras } as never, { provider, now })).rejects.toMatchObject({
        code: 'ERR_CALLTOKEN_INVALID_INPUT',
        issues: [{ message }],
      })
    }
  })
})

describe('zoom extras properties', { timeout: 120_000 }, () => {
  const numRuns = process.env.CI ? 2000 : 200
  const extras = fc.record(
    {
      sessionKey: fc.string({ minLength: 1, maxLength: 36 }).filter((s) => !/[\uD800-\uDFFF]/.test(s)),
      geoRegions: fc.uniqueArray(fc.constantFrom(...ZOOM_GEO_REGIONS), { minLength: 1 }),
      cloudRecording: fc.record({ option: fc.constantFrom(0 as const, 1 as const), election: fc.constantFrom(0 as const, 1 as const) }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  )

  it('valid extras: the sample makes the same token, and jsrsasign verifies it', async () => {
    await fc.assert(
      fc.asyncProperty(extras, fc.constantFrom('admin', 'member'), async (given, role) => {
        const ours = await createCallToken({ userId: 'u1', callId: 'Room 1', role, validityInSeconds: 3600, extras: given }, { provider, policy, now })
        expect(ours.token).toBe(sampleToken({ role: role === 'admin' ? 1 : 0, sessionName: 'Room 1', expirationSeconds: 3600, userIdentity: 'u1', ...sampleFields(given) }))
        expect(jsrsasignRead(ours.token).user_key).toBe('u1')
      }),
      { numRuns },
    )
  })

  it('invalid extras: always a CallTokenError, never a token', async () => {
    const invalid = fc.oneof(
      fc.record({ sessionKey: fc.oneof(fc.string({ minLength: 37 }), fc.integer(), fc.constant('')) }),
      fc.record({ geoRegions: fc.oneof(fc.constant([]), fc.string(), fc.array(fc.string().filter((s) => !ZOOM_GEO_REGIONS.includes(s as never)), { minLength: 1 })) }),
      fc.record({ cloudRecording: fc.oneof(fc.integer(), fc.record({ option: fc.integer({ min: 2 }) })) }),
    )
    await fc.assert(
      fc.asyncProperty(invalid, async (given) => {
        const outcome = await createCallToken({ userId: 'u1', callId: 'Room 1', extras: given } as never, { provider, now }).then(
          (issued) => `token ${issued.token}`,
          (error: unknown) => isCallTokenError(error),
        )
        expect(outcome).toBe(true)
      }),
      { numRuns },
    )
  })
})
