import { eq } from 'drizzle-orm'
import type { CallingUser } from '../auth.ts'
import type { Db } from '../db/client.ts'
import { callMembers, calls } from '../db/schema.ts'
import { forbidden, notFound } from '../errors.ts'

/**
 * Lets users into a private call (the original API has no route for it, but "403 private and not invited" needs one).
 * Host or admin only. Someone an admin removed stays removed: an invitation does not undo that.
 */
export async function inviteToCall(db: Db, callId: number, inviter: CallingUser, userIds: readonly number[], now: Date) {
  const [call] = await db.select().from(calls).where(eq(calls.id, callId))
  if (!call || call.status !== 'active') throw notFound('Call not found or ended')
  if (call.creatorId !== inviter.id && !inviter.isAdmin) throw forbidden('Only the host can invite to this call')
  const invited = await db
    .insert(callMembers)
    .values(userIds.map((userId) => ({ callId, userId, role: 'invitee' as const, createdAt: now })))
    .onConflictDoNothing()
    .returning({ userId: callMembers.userId })
  return invited.map((row) => row.userId)
}
