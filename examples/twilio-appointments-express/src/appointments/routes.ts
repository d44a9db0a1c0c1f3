import { appointmentValidity, isCallTokenError, type IssuedToken, type TokenService } from '@calltoken/core'
import express, { type Request, type RequestHandler, type Response, type Router } from 'express'
import { rateLimit } from 'express-rate-limit'
import { currentUser, requireUser } from '../auth'
import type { Db } from '../db/client'
import type { Appointment, User } from '../db/schema'
import { assignRoomName, currentRoomState, findAppointment } from './repository'
import { newRoomName } from './room-name'
import { videoTokenBody } from './token-response'

export interface AppointmentRoutesOptions {
  db: Db
  tokens: TokenService
  sessionJwtSecret: string
  rateLimitPerMinute: number
  /** Milliseconds; the room name's unix time comes from it (token times come from the token service's own clock). */
  now: () => number
}

const MAX_INT4 = 2_147_483_647

/** The seed's routes, mounted at /api/appointments. Every one needs a session JWT and answers only the two parties. */
export function appointmentRoutes({ db, tokens, sessionJwtSecret, rateLimitPerMinute, now }: AppointmentRoutesOptions): Router {
  const router = express.Router()
  const guard: RequestHandler[] = [
    requireUser(db, sessionJwtSecret),
    // Per user, after authentication: a token endpoint polled by a buggy client must not starve the others.
    rateLimit({
      windowMs: 60_000,
      limit: rateLimitPerMinute,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      keyGenerator: (_req, res) => `user:${currentUser(res).id}`,
      handler: (_req, res) => void res.status(429).json({ error: 'Too many requests' }),
    }),
    // Tokens are credentials and room state changes by the second: nothing here may be cached.
    (_req, res, next) => {
      res.set('Cache-Control', 'no-store')
      next()
    },
  ]

  /** The appointment of :id if the user is one of its two parties; otherwise answers 404 or 403 and returns undefined. */
  async function appointmentFor(req: Request, res: Response): Promise<{ user: User; appointment: Appointment } | undefined> {
    const user = currentUser(res)
    const raw = String(req.params.id)
    const id = /^[1-9]\d{0,9}$/.test(raw) && Number(raw) <= MAX_INT4 ? Number(raw) : undefined
    const appointment = id === undefined ? undefined : await findAppointment(db, id)
    if (!appointment) {
      res.status(404).json({ error: 'Appointment not found' })
      return undefined
    }
    if (appointment.patientId !== user.id && appointment.psychologistId !== user.id) {
      res.status(403).json({ error: 'Permission denied' })
      return undefined
    }
    return { user, appointment }
  }

  // Creates the room name once; later calls (and concurrent ones) get the same name back.
  router.post('/video-room/:id', ...guard, async (req, res) => {
    const found = await appointmentFor(req, res)
    if (!found) return
    const nowMs = now()
    const { roomName, created } = await assignRoomName(db, found.appointment.id, newRoomName(found.appointment.id, nowMs), new Date(nowMs))
    res.status(created ? 201 : 200).json({ appointment_id: found.appointment.id, room_name: roomName, created })
  })

  // Refresh is the same request made later: a new token for the same room, valid for the appointment's validity again.
  const issueToken: RequestHandler = async (req, res) => {
    const found = await appointmentFor(req, res)
    if (!found) return
    const { user, appointment } = found
    if (!appointment.videoRoomName) {
      res.status(404).json({ error: 'No video room found for this appointment' })
      return
    }
    let issued: IssuedToken
    try {
      issued = await tokens.createCallToken({
        userId: `${user.id}-${user.email}`,
        callId: appointment.videoRoomName,
        // Twilio tokens carry no role; providers that do (Stream, Agora) get the psychologist as moderator.
        role: user.role === 'psychologist' ? 'moderator' : 'member',
        validityInSeconds: appointmentValidity({ durationMinutes: appointment.durationMinutes }),
      })
    } catch (error) {
      // calltoken's messages never contain a credential, so the seed's "<error_message>" can be shown as is.
      const reason = isCallTokenError(error) ? error.message : 'internal error'
      req.log.error({ err: error, appointmentId: appointment.id, userId: user.id }, 'could not mint a video token')
      res.status(500).json({ error: `Failed to generate access token: ${reason}` })
      return
    }
    req.log.info({ appointmentId: appointment.id, userId: user.id, expiresAt: issued.expiresAt }, 'video token issued')
    res.json(videoTokenBody(appointment, issued))
  }
  router.get('/video-token/:id', ...guard, issueToken)
  router.get('/video-token-refresh/:id', ...guard, issueToken)

  // Fed by Twilio's room status callbacks (twilio/room-status-route.ts).
  router.get('/video-status/:id', ...guard, async (req, res) => {
    const found = await appointmentFor(req, res)
    if (!found) return
    const { appointment } = found
    if (!appointment.videoRoomName) {
      res.status(404).json({ error: 'No video room found for this appointment' })
      return
    }
    const { room, participants } = await currentRoomState(db, appointment.id)
    res.json({
      appointment_id: appointment.id,
      room_name: appointment.videoRoomName,
      // not-started until Twilio reports the room (it is created when the first participant connects).
      status: room?.status ?? 'not-started',
      participant_count: participants.length,
      participants: participants.map((p) => ({ identity: p.identity, connected_at: p.connectedAt?.toISOString() ?? null })),
      room_sid: room?.roomSid ?? null,
      started_at: room?.startedAt.toISOString() ?? null,
      ended_at: room?.endedAt?.toISOString() ?? null,
      last_event_at: room?.updatedAt.toISOString() ?? null,
    })
  })

  return router
}
