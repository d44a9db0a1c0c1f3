import { and, eq, isNull, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { callSessions, type LEFT_REASONS } from '../db/schema.ts'

type Executor = Pick<Db, 'update'>

/**
 * Ends the open stays that match `where` at `now`. `greatest` keeps left_at ≥ joined_at even if the
 * server's clock stepped back between the join and the leave.
 */
export async function closeStays(db: Executor, where: SQL | undefined, now: Date, reason: (typeof LEFT_REASONS)[number]) {
  return db
    .update(callSessions)
    .set({ leftAt: sql`greatest(${callSessions.joinedAt}, ${now.toISOString()}::timestamptz)`, leftReason: reason })
    .where(and(where, isNull(callSessions.leftAt)))
    .returning({ userId: callSessions.userId })
}

export const stayOf = (callId: number, userId: number) => and(eq(callSessions.callId, callId), eq(callSessions.userId, userId))
