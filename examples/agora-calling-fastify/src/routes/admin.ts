import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import { removeParticipant, endCall } from '../calls/admin-actions.ts'
import { callAnalytics, GROUP_BY } from '../calls/analytics.ts'
import { callDetails } from '../calls/details.ts'
import { requireAdmin } from '../auth.ts'
import type { Clock } from '../clock.ts'
import type { Db } from '../db/client.ts'
import { parseOr400 } from '../errors.ts'
import type { PublicIdOf } from '../public-id.ts'
import { perUserLimit } from '../rate-limits.ts'
import { idParam } from './params.ts'

const analyticsQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(365).default(30),
  groupBy: z.enum(GROUP_BY).default('day'),
})

/** Mounted under /admin; every route needs the admin role (checked after authentication). */
export const adminRoutes: FastifyPluginAsync<{ db: Db; clock: Clock; publicIdOf: PublicIdOf }> = async (app, { db, clock, publicIdOf }) => {
  app.addHook('onRequest', requireAdmin)

  app.get('/analytics', { config: perUserLimit('analytics') }, async (request) => {
    return callAnalytics(db, parseOr400(analyticsQuery, request.query), clock())
  })

  app.get('/:callId/details', async (request) => {
    return callDetails(db, idParam(request.params, 'callId', 'Call'), clock(), publicIdOf)
  })

  app.post('/:callId/end', async (request) => {
    const callId = idParam(request.params, 'callId', 'Call')
    const endedAt = await endCall(db, callId, clock())
    request.log.info({ callId }, 'call ended by admin')
    return { success: true, message: 'Call ended successfully', endedAt: endedAt.toISOString() }
  })

  app.delete('/:callId/participants/:userId', async (request) => {
    const callId = idParam(request.params, 'callId', 'Call')
    const userId = idParam(request.params, 'userId', 'Participant')
    await removeParticipant(db, callId, userId, clock())
    // The masked id only: logs never carry internal user ids.
    request.log.info({ callId, participant: publicIdOf(userId) }, 'participant removed by admin')
    return { success: true, message: 'Participant removed from call' }
  })
}
