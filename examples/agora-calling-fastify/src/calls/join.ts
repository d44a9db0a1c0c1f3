import { and, count, eq, isNull } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { callMembers, calls, callSessions } from '../db/schema.ts'
import { badRequest, forbidden, notFound } from '../errors.ts'

/**
 * Joins a call, holding `maxParticipants` under concurrent joins: the call's row is locked (FOR UPDATE)
 * for the transaction, so joins of one call take turns and each counts the stays committed before it.
 * (PGlite runs one transaction at a time anyway; PostgreSQL needs the lock.)
 * Joining again while already in the call is a no-op, not a second seat.
 */
export async function joinCall(db: Db, callId: number, userId: number, now: Date) {
  return db.transaction(async (tx) => {
    const [call] = await tx.select().from(calls).where(eq(calls.id, callId)).for('update')
    if (!call || call.status !== 'active') throw notFound('Call not found or ended')
    const result = { channelName: call.channelName, title: call.title }

    const [member] = await tx
      .select()
      .from(callMembers)
      .where(and(eq(callMembers.callId, callId), eq(callMembers.userId, userId)))
    if (member?.removedAt) throw forbidden('You were removed from this call')
    if (!member && !call.isPublic) throw forbidden('Access denied to private call')

    const inCall = and(eq(callSessions.callId, callId), isNull(callSessions.leftAt))
    const [already] = await tx
      .select({ id: callSessions.id })
      .from(callSessions)
      .where(and(inCall, eq(callSessions.userId, userId)))
    if (already) return result

    const [present] = await tx.select({ n: count() }).from(callSessions).where(inCall)
    if ((present?.n ?? 0) >= call.maxParticipants) throw badRequest('Call is full', 'CALL_FULL')

    if (!member) await tx.insert(callMembers).values({ callId, userId, role: 'participant', createdAt: now })
    else if (member.role === 'invitee') {
      await tx
        .update(callMembers)
        .set({ role: 'participant' })
        .where(and(eq(callMembers.callId, callId), eq(callMembers.userId, userId)))
    }
    await tx.insert(callSessions).values({ callId, userId, joinedAt: now })
    return result
  })
}
