import express, { type Router } from 'express'
import { z } from 'zod'
import type { Db } from '../db/client'
import { applyRoomEvent } from './room-events'
import { isValidTwilioSignature, parseFormParams } from './signature'

export const ROOM_STATUS_PATH = '/api/appointments/twilio/room-status'

export interface RoomStatusRouteOptions {
  db: Db
  /** The account Auth Token: Twilio signs its callbacks with it (not with the API key secret). */
  authToken: string
  /** The public origin Twilio calls (behind a proxy the Host header is not it). */
  publicBaseUrl: string
  now: () => number
}

const participantEvents = new Set(['participant-connected', 'participant-disconnected'])

const callbackSchema = z
  .object({
    StatusCallbackEvent: z.string().regex(/^[a-z][a-z-]{0,63}$/),
    RoomSid: z.string().regex(/^RM[0-9a-fA-F]{32}$/),
    RoomName: z.string().min(1).max(512),
    SequenceNumber: z.string().regex(/^\d{1,9}$/).transform(Number).optional(),
    Timestamp: z.string().max(64).optional(),
    ParticipantSid: z.string().regex(/^PA[0-9a-fA-F]{32}$/).optional(),
    ParticipantIdentity: z.string().max(512).optional(),
    TrackSid: z.string().regex(/^MT[0-9a-fA-F]{32}$/).optional(),
  })
  .refine((p) => !participantEvents.has(p.StatusCallbackEvent) || p.ParticipantSid !== undefined, {
    message: 'participant events need a ParticipantSid',
    path: ['ParticipantSid'],
  })

/**
 * POST /api/appointments/twilio/room-status: Twilio's Rooms status callbacks (form-encoded). A request whose
 * X-Twilio-Signature does not match is refused with 403 before anything is read into the database.
 */
export function roomStatusRoute({ db, authToken, publicBaseUrl, now }: RoomStatusRouteOptions): Router {
  const router = express.Router()
  router.post(ROOM_STATUS_PATH, express.text({ type: 'application/x-www-form-urlencoded', limit: '32kb' }), async (req, res) => {
    if (typeof req.body !== 'string') {
      res.status(415).json({ error: 'Content-Type must be application/x-www-form-urlencoded' })
      return
    }
    const params = parseFormParams(req.body)
    const url = `${publicBaseUrl}${req.originalUrl}`
    if (!isValidTwilioSignature({ authToken, signature: req.get('x-twilio-signature'), url, params })) {
      req.log.warn({ url }, 'room status callback refused: bad X-Twilio-Signature')
      res.status(403).json({ error: 'Invalid Twilio signature' })
      return
    }
    const parsed = callbackSchema.safeParse(params)
    if (!parsed.success) {
      res.status(400).json({ error: `Malformed status callback: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` })
      return
    }
    const p = parsed.data
    const received = new Date(now())
    const timestamp = p.Timestamp === undefined ? undefined : new Date(p.Timestamp)
    const result = await applyRoomEvent(
      db,
      {
        event: p.StatusCallbackEvent,
        roomSid: p.RoomSid,
        roomName: p.RoomName,
        occurredAt: timestamp && !Number.isNaN(timestamp.getTime()) ? timestamp : received,
        ...(p.SequenceNumber === undefined ? {} : { sequenceNumber: p.SequenceNumber }),
        ...(p.ParticipantSid === undefined ? {} : { participantSid: p.ParticipantSid }),
        ...(p.ParticipantIdentity === undefined ? {} : { participantIdentity: p.ParticipantIdentity }),
        ...(p.TrackSid === undefined ? {} : { trackSid: p.TrackSid }),
      },
      received,
    )
    req.log.info({ event: p.StatusCallbackEvent, roomSid: p.RoomSid, sequenceNumber: p.SequenceNumber, result }, 'room status callback')
    // 200 for duplicates and unknown rooms too: Twilio has nothing to retry.
    res.json({ result })
  })
  return router
}
