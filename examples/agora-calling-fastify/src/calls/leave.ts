import { eq } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { calls } from '../db/schema.ts'
import { notFound } from '../errors.ts'
import { closeStays, stayOf } from './close-stays.ts'

/** Ends the caller's stay. Leaving twice is fine (a client retrying after a lost answer): it is idempotent. */
export async function leaveCall(db: Db, callId: number, userId: number, now: Date): Promise<{ wasInCall: boolean }> {
  const [call] = await db.select({ id: calls.id }).from(calls).where(eq(calls.id, callId))
  if (!call) throw notFound('Call not found')
  const closed = await closeStays(db, stayOf(callId, userId), now, 'left')
  return { wasInCall: closed.length > 0 }
}
