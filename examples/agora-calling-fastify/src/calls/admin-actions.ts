import { and, eq } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { callMembers, calls, callSessions } from '../db/schema.ts'
import { conflict, notFound } from '../errors.ts'
import { closeStays, stayOf } from './close-stays.ts'

/** Ends the call for everyone. The row lock orders it against concurrent joins: none slips in after. */
export async function endCall(db: Db, callId: number, now: Date): Promise<Date> {
  return db.transaction(async (tx) => {
    const [call] = await tx.select().from(calls).where(eq(calls.id, callId)).for('update')
    if (!call) throw notFound('Call not found')
    if (call.status === 'ended') throw conflict('Call already ended')
    await tx.update(calls).set({ status: 'ended', endedAt: now }).where(eq(calls.id, callId))
    await closeStays(tx, eq(callSessions.callId, callId), now, 'ended')
    return now
  })
}

/**
 * Removes a participant: ends their stay and bars them from rejoining or getting another token.
 * A token they already hold stays valid until it expires (Agora tokens cannot be revoked; kicking a
 * connected client needs Agora's own kicking-rule API).
 */
export async function removeParticipant(db: Db, callId: number, userId: number, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const [call] = await tx.select({ id: calls.id }).from(calls).where(eq(calls.id, callId)).for('update')
    if (!call) throw notFound('Call not found')
    const member = and(eq(callMembers.callId, callId), eq(callMembers.userId, userId))
    const [row] = await tx.select().from(callMembers).where(member)
    if (!row || row.removedAt) throw notFound('Participant not found in this call')
    await tx.update(callMembers).set({ removedAt: now }).where(member)
    await closeStays(tx, stayOf(callId, userId), now, 'removed')
  })
}
