import { randomBytes } from 'node:crypto'

/** The original API's room name: `apt-<appointment id>-<unix time>-<8 hex>`; the random part keeps two names of the same second apart. */
export function newRoomName(appointmentId: number, nowMs: number): string {
  return `apt-${appointmentId}-${Math.floor(nowMs / 1000)}-${randomBytes(4).toString('hex')}`
}
