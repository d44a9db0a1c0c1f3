import type { IssuedToken } from '@calltoken/core'
import type { Appointment } from '../db/schema'

/**
 * The original API's 200 body for /video-token and /video-token-refresh. It reads only provider-neutral fields of `issued`,
 * so it stays the same when the provider changes; `connect` is what that provider's client SDK needs to join.
 */
export function videoTokenBody(appointment: Appointment, issued: IssuedToken) {
  const minutes = Math.round(issued.validityInSeconds / 60)
  return {
    access_token: issued.token,
    room_name: issued.callId,
    user_identity: issued.userId,
    expires_in: issued.validityInSeconds,
    // Whole seconds, written as the original API shows them: 2025-11-16T10:30:00Z.
    expires_at: issued.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    appointment_id: appointment.id,
    appointment_duration_minutes: appointment.durationMinutes,
    // The original API's wording, whole hours rounded down: "90 minutes (1 hours)".
    token_valid_until: `${minutes} minutes (${Math.floor(minutes / 60)} hours)`,
    connect: issued.connect,
  }
}
