import { describe, expect, it } from 'vitest'
import { appointmentValidity, isCallTokenError } from '../src/index'

describe('appointmentValidity (the appointment token route: duration + 30 min, clamped to 60..240 min)', () => {
  it.each([
    [60, 5400],
    [15, 3600],
    [300, 14_400],
    [30, 3600],
    [45, 4500],
    [90, 7200],
    [210, 14_400],
    [209, 14_340],
    [0.5, 3600],
  ])('%s min → %s s', (durationMinutes, seconds) => {
    expect(appointmentValidity({ durationMinutes })).toBe(seconds)
  })

  it('honours buffer, min and max, and returns whole seconds', () => {
    expect(appointmentValidity({ durationMinutes: 60, bufferMinutes: 0 })).toBe(3600)
    expect(appointmentValidity({ durationMinutes: 60, bufferMinutes: 15, minMinutes: 10 })).toBe(4500)
    expect(appointmentValidity({ durationMinutes: 600, maxMinutes: 480 })).toBe(28_800)
    expect(appointmentValidity({ durationMinutes: 100.001, minMinutes: 1 })).toBe(7801)
  })

  it.each([[-1], [0], [Number.NaN], [Number.POSITIVE_INFINITY], ['60'], [null], [undefined]])(
    'rejects duration %s with ERR_CALLTOKEN_INVALID_INPUT',
    (durationMinutes) => {
      let thrown: unknown
      try {
        appointmentValidity({ durationMinutes: durationMinutes as number })
      } catch (error) {
        thrown = error
      }
      expect(isCallTokenError(thrown)).toBe(true)
      expect(thrown).toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_INPUT', issues: [{ path: 'durationMinutes' }] })
    },
  )

  it('rejects min above max', () => {
    expect(() => appointmentValidity({ durationMinutes: 60, minMinutes: 300, maxMinutes: 240 })).toThrow(/minMinutes must not exceed maxMinutes/)
  })
})
