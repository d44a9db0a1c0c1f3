import { isCallTokenError, verifyWebhook, type CallTokenProvider, type WebhookEvent } from '@calltoken/core'
import express, { type Request, type Router } from 'express'
import { z } from 'zod'
import type { Db } from '../db/client'
import { applyRoomEvent } from './room-events'

export const ROOM_STATUS_PATH = '/api/appointments/twilio/room-status'

export interface RoomStatusRouteOptions {
  db: Db
  /** The Twilio adapter: its webhook rule checks the signature. */
  provider: CallTokenProvider
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
export function roomStatusRoute({ db, provider, authToken, publicBaseUrl, now }: RoomStatusRouteOptions): Router {
  const router = express.Router()
  /** The callback, verified by @calltoken/twilio's webhook rule (the exact form bytes, against the public URL), or undefined. */
  const verified = async (req: Request, url: string): Promise<WebhookEvent | undefined> => {
    try {
      return await verifyWebhook(provider, { rawBody: req.body as Buffer, headers: req.headers, url }, { secret: authToken })
    } catch (error) {
      if (!isCallTokenError(error) || error.code !== 'ERR_CALLTOKEN_INVALID_SIGNATURE') throw error
      req.log.warn({ url, reason: error.message }, 'room status callback refused: bad X-Twilio-Signature')
      return undefined
    }
  }
  router.post(ROOM_STATUS_PATH, express.raw({ type: 'application/x-www-form-urlencoded', limit: '32kb' }), async (req, res) => {
    if (!Buffer.isBuffer(req.body)) {
      res.status(415).json({ error: 'Content-Type must be application/x-www-form-urlencoded' })
      return
    }
    const event = await verified(req, `${publicBaseUrl}${req.originalUrl}`)
    if (!event) {
      res.status(403).json({ error: 'Invalid Twilio signature' })
      return
    }
    const parsed = callbackSchema.safeParse(event.payload)
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
