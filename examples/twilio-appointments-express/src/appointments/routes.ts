import { appointmentValidity, CallTokenError, isCallTokenError, type CallTokenErrorCode, type TokenService } from '@calltoken/core'
import { createTokenRoute, type ExpressCallTokenOptions, type ExpressTokenRoute } from '@calltoken/express'
import express, { type Request, type RequestHandler, type Response, type Router } from 'express'
import { rateLimit } from 'express-rate-limit'
import { currentUser, requireUser, sessionUser } from '../auth'
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
  /** Milliseconds; the room name's unix time and the token times both come from it. */
  now: () => number
}

const MAX_INT4 = 2_147_483_647

// The original API's refusals, in the order they are checked.
const NOT_FOUND = { status: 404, error: 'Appointment not found' } as const
const NOT_A_PARTY = { status: 403, error: 'Permission denied' } as const
const NO_ROOM = { status: 404, error: 'No video room found for this appointment' } as const
type Refusal = typeof NOT_FOUND | typeof NOT_A_PARTY | typeof NO_ROOM
// The original API's wording of the token pipeline's own refusals (401 before input, 429 before anything else).
const ORIGINAL_WORDING: Partial<Record<CallTokenErrorCode, string>> = {
  ERR_CALLTOKEN_UNAUTHENTICATED: 'Authentication required',
  ERR_CALLTOKEN_RATE_LIMITED: 'Too many requests',
}

/** The Twilio identity: user id and email, as the original API builds it. */
const videoIdentity = (user: User) => `${user.id}-${user.email}`
/** Twilio tokens carry no role; providers that do (Stream, Agora) get the psychologist as moderator. */
const callRole = (user: User) => (user.role === 'psychologist' ? 'moderator' : 'member')

/** The original API's routes, mounted at /api/appointments. Every one needs a session JWT and answers only the two parties. */
export function appointmentRoutes({ db, tokens, sessionJwtSecret, rateLimitPerMinute, now }: AppointmentRoutesOptions): Router {
  const router = express.Router()
  const userOf = sessionUser(db, sessionJwtSecret)

  /** The appointment of `rawId` if `user` is one of its two parties, otherwise the refusal. */
  async function partyAppointment(user: User, rawId: string): Promise<Appointment | Refusal> {
    const id = /^[1-9]\d{0,9}$/.test(rawId) && Number(rawId) <= MAX_INT4 ? Number(rawId) : undefined
    const appointment = id === undefined ? undefined : await findAppointment(db, id)
    if (!appointment) return NOT_FOUND
    if (appointment.patientId !== user.id && appointment.psychologistId !== user.id) return NOT_A_PARTY
    return appointment
  }

  // GET /video-token/:id and /video-token-refresh/:id run calltoken's pipeline (createTokenRoute): authentication
  // (401 with WWW-Authenticate: Bearer), validation, the per-user rate limit, no-store and the answers below.
  // Refresh is the same request made later: a new token for the same room, valid for the appointment's validity again.
  const sessionUsers = new WeakMap<Request, User>() // authenticate → input
  const tokenAppointments = new WeakMap<Request, Appointment>() // input → answers and logs
  const tokenOptions: ExpressCallTokenOptions = {
    provider: tokens.provider,
    policy: tokens.policy,
    now,
    challenge: 'Bearer',
    authenticate: async (req) => {
      const user = await userOf(req)
      if (!user) return null
      sessionUsers.set(req, user)
      // The token is asked for in the user's own name (the identity) and with the user's own role.
      return { userId: videoIdentity(user), roles: [callRole(user)] }
    },
    // Per user and per route (the route's name): a token endpoint polled by a buggy client must not starve the others.
    rateLimit: { max: rateLimitPerMinute, windowMs: 60_000 },
    onIssued: ({ req, issued }) => {
      req.log.info({ appointmentId: tokenAppointments.get(req)?.id, userId: sessionUsers.get(req)?.id, expiresAt: issued.expiresAt }, 'video token issued')
    },
  }

  const videoTokenRoute = (name: string): ExpressTokenRoute => ({
    name,
    kind: 'call',
    method: 'get',
    path: `/${name}/:id`,
    async input({ req }) {
      const user = sessionUsers.get(req)! // authenticate found it, or the request was answered 401
      const appointment = await partyAppointment(user, String(req.params.id))
      if ('error' in appointment) throw refused(appointment)
      if (!appointment.videoRoomName) throw refused(NO_ROOM)
      tokenAppointments.set(req, appointment)
      return mintable(tokens, {
        userId: videoIdentity(user),
        callId: appointment.videoRoomName,
        role: callRole(user),
        validityInSeconds: appointmentValidity({ durationMinutes: appointment.durationMinutes }),
      })
    },
    respond: (issued, req) => videoTokenBody(tokenAppointments.get(req)!, issued),
    respondError(error, req) {
      if (error.status < 500) return { error: ORIGINAL_WORDING[error.code] ?? error.message }
      req.log.error({ err: error, appointmentId: tokenAppointments.get(req)?.id, userId: sessionUsers.get(req)?.id }, 'could not mint a video token')
      // calltoken's messages never contain a credential, so the original API's "<error_message>" can be shown as is.
      return { error: `Failed to generate access token: ${error.message}` }
    },
  })
  router.use(createTokenRoute(tokenOptions, videoTokenRoute('video-token')))
  router.use(createTokenRoute(tokenOptions, videoTokenRoute('video-token-refresh')))

  // The other routes: the session user, a per-user limit shared by these routes, and no caching (room state changes
  // by the second).
  const guard: RequestHandler[] = [
    requireUser(userOf),
    rateLimit({
      windowMs: 60_000,
      limit: rateLimitPerMinute,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      keyGenerator: (_req, res) => `user:${currentUser(res).id}`,
      handler: (_req, res) => void res.status(429).json({ error: 'Too many requests' }),
    }),
    (_req, res, next) => {
      res.set('Cache-Control', 'no-store')
      next()
    },
  ]

  /** The appointment of :id if the user is one of its two parties; otherwise answers 404 or 403 and returns undefined. */
  async function appointmentFor(req: Request, res: Response): Promise<{ user: User; appointment: Appointment } | undefined> {
    const user = currentUser(res)
    const appointment = await partyAppointment(user, String(req.params.id))
    if ('error' in appointment) {
      res.status(appointment.status).json({ error: appointment.error })
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

  // Fed by Twilio's room status callbacks (twilio/room-status-route.ts).
  router.get('/video-status/:id', ...guard, async (req, res) => {
    const found = await appointmentFor(req, res)
    if (!found) return
    const { appointment } = found
    if (!appointment.videoRoomName) {
      res.status(NO_ROOM.status).json({ error: NO_ROOM.error })
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

/** A refusal as the error the token pipeline answers with its status. */
function refused({ status, error }: Refusal): CallTokenError {
  return new CallTokenError(status === 403 ? 'ERR_CALLTOKEN_FORBIDDEN' : 'ERR_CALLTOKEN_NOT_FOUND', error)
}

/**
 * The mint input, checked here: the original API answers every token calltoken cannot mint (e.g. an identity over
 * Twilio's 128 characters) with 500 "Failed to generate access token: <reason>", where the pipeline's own check would
 * answer 422.
 */
function mintable<T>(tokens: TokenService, input: T): T {
  try {
    tokens.validate('call', input)
  } catch (error) {
    if (!isCallTokenError(error)) throw error
    // PROVIDER_FAILED is the code that answers 500: what the provider cannot mint, it cannot sign.
    throw new CallTokenError('ERR_CALLTOKEN_PROVIDER_FAILED', error.message, { cause: error, ...(error.issues ? { issues: error.issues } : {}) })
  }
  return input
}
