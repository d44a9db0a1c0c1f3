import { randomBytes } from 'node:crypto'
// The twilio package is a devDependency used only as an oracle: the app checks signatures with its own code.
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks'
import { DEMO_CREDENTIALS } from '../../src/demo-credentials'
import { ROOM_STATUS_PATH } from '../../src/twilio/room-status-route'
import { PUBLIC_BASE_URL } from './harness'

export const sid = (prefix: 'RM' | 'PA' | 'MT') => `${prefix}${randomBytes(16).toString('hex')}`

export interface CallbackOptions {
  authToken?: string
  /** The URL the signature is computed over; default the public callback URL. */
  signedUrl?: string
}

/** A room status callback as Twilio sends it: form-encoded, signed by the `twilio` package's own code. */
export function twilioCallback(params: Record<string, string>, { authToken = DEMO_CREDENTIALS.TWILIO_AUTH_TOKEN, signedUrl = `${PUBLIC_BASE_URL}${ROOM_STATUS_PATH}` }: CallbackOptions = {}) {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(authToken, signedUrl, params) },
    body: new URLSearchParams(params).toString(),
  }
}

/** The parameters of one room status event (Twilio's names). */
export function roomEvent(
  event: string,
  room: { sid: string; name: string },
  sequenceNumber: number,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    AccountSid: DEMO_CREDENTIALS.TWILIO_ACCOUNT_SID,
    RoomName: room.name,
    RoomSid: room.sid,
    RoomStatus: event === 'room-ended' ? 'completed' : 'in-progress',
    RoomType: 'group',
    StatusCallbackEvent: event,
    Timestamp: new Date(Date.UTC(2026, 11, 1, 10, 0, sequenceNumber)).toISOString(),
    SequenceNumber: String(sequenceNumber),
    ...extra,
  }
}
