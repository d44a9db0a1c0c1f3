import { and, eq, isNull } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { calls, callSessions } from '../db/schema.ts'

/**
 * The original API's "participant validation": a token only for someone in the call right now (joined, not left,
 * not removed, call not ended). Removal and ending close the stay, so they end token access too.
 */
export async function callIdForToken(db: Db, channelName: string, userId: number): Promise<number | undefined> {
  const [row] = await db
    .select({ id: calls.id })
    .from(calls)
    .innerJoin(callSessions, and(eq(callSessions.callId, calls.id), eq(callSessions.userId, userId), isNull(callSessions.leftAt)))
    .where(and(eq(calls.channelName, channelName), eq(calls.status, 'active')))
    .limit(1)
  return row?.id
}
