import { validationError } from './errors'

export interface AppointmentValidityOptions {
  /**
   * The booked length of the appointment, in minutes.
   */
  durationMinutes: number
  /** Time added to the appointment so a late start or overrun keeps the call alive. Default 30. */
  bufferMinutes?: number
  /**
   * The shortest validity returned, in minutes. Default 60.
   */
  minMinutes?: number
  /**
   * The longest validity returned, in minutes. Default 240.
   */
  maxMinutes?: number
}

/**
 * Validity for a booked appointment: duration + buffer, clamped to min..max minutes, in whole seconds
 * (60 min → 5400 s; 15 → 3600; 300 → 14400). Pass the result as `validityInSeconds`.
 *
 * @throws ERR_CALLTOKEN_INVALID_INPUT when an option is not a positive number or min exceeds max.
 * @example
 * const validityInSeconds = appointmentValidity({ durationMinutes: 45 }) // 4500: 45 + 30 min, within 60..240
 * await createCallToken({ userId, callId: appointment.room, validityInSeconds }, { provider })
 */
export function appointmentValidity({
  durationMinutes,
  bufferMinutes = 30,
  minMinutes = 60,
  maxMinutes = 240,
}: AppointmentValidityOptions): number {
  const problems: { path: string; message: string }[] = []
  const check = (path: string, value: unknown, allowZero: boolean) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
      problems.push({ path, message: `${path} must be a ${allowZero ? 'non-negative' : 'positive'} number of minutes` })
    }
  }
  check('durationMinutes', durationMinutes, false)
  check('bufferMinutes', bufferMinutes, true)
  check('minMinutes', minMinutes, false)
  check('maxMinutes', maxMinutes, false)
  if (problems.length === 0 && minMinutes > maxMinutes) problems.push({ path: 'minMinutes', message: 'minMinutes must not exceed maxMinutes' })
  if (problems.length > 0) throw validationError(problems)

  const minutes = Math.min(Math.max(durationMinutes + bufferMinutes, minMinutes), maxMinutes)
  return Math.ceil(minutes * 60)
}
