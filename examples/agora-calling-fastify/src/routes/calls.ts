import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import { createCall } from '../calls/create.ts'
import { inviteToCall } from '../calls/invite.ts'
import { joinCall } from '../calls/join.ts'
import { leaveCall } from '../calls/leave.ts'
import { myCalls } from '../calls/my-calls.ts'
import type { Clock } from '../clock.ts'
import type { Db } from '../db/client.ts'
import { CALL_STATUSES, MEDIA_TYPES } from '../db/schema.ts'
import { parseOr400 } from '../errors.ts'
import { perUserLimit } from '../rate-limits.ts'
import { idParam } from './params.ts'

const createBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).default(''),
  isPublic: z.boolean().default(false),
  maxParticipants: z.number().int().min(2).max(1000).default(25),
  // Not in the original API: audio and video minutes are reported apart, so a call says which it is.
  mediaType: z.enum(MEDIA_TYPES).default('video'),
})

const inviteBody = z.strictObject({
  userIds: z.array(z.number().int().min(1).max(4_294_967_295)).min(1).max(100),
})

const myCallsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  status: z.enum(CALL_STATUSES).optional(),
})

export const callRoutes: FastifyPluginAsync<{ db: Db; clock: Clock }> = async (app, { db, clock }) => {
  app.post('/create', { config: perUserLimit('create') }, async (request, reply) => {
    const input = parseOr400(createBody, request.body)
    const call = await createCall(db, input, request.caller.id, clock())
    request.log.info({ callId: call.id, isPublic: call.isPublic }, 'call created')
    return reply.code(201).send({
      callId: call.id,
      channelName: call.channelName,
      title: call.title,
      description: call.description,
      isPublic: call.isPublic,
      maxParticipants: call.maxParticipants,
      mediaType: call.mediaType,
    })
  })

  app.post('/:callId/join', { config: perUserLimit('join') }, async (request) => {
    const callId = idParam(request.params, 'callId', 'Call')
    const joined = await joinCall(db, callId, request.caller.id, clock())
    request.log.info({ callId }, 'joined call')
    return { success: true, channelName: joined.channelName, callTitle: joined.title }
  })

  app.post('/:callId/leave', async (request) => {
    const callId = idParam(request.params, 'callId', 'Call')
    const { wasInCall } = await leaveCall(db, callId, request.caller.id, clock())
    request.log.info({ callId, wasInCall }, 'left call')
    return { success: true }
  })

  app.post('/:callId/invite', async (request) => {
    const callId = idParam(request.params, 'callId', 'Call')
    const { userIds } = parseOr400(inviteBody, request.body)
    const invited = await inviteToCall(db, callId, request.caller, userIds, clock())
    request.log.info({ callId, invited: invited.length }, 'users invited')
    return { success: true, invited }
  })

  app.get('/my-calls', async (request) => {
    return myCalls(db, request.caller.id, parseOr400(myCallsQuery, request.query))
  })
}
