import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { calls } from '../db/schema.ts'

const DAY_MS = 86_400_000

/**
 * Deletes the calls whose last activity (creation, end, or any join or leave) is older than the retention
 * window, with their members and stays (ON DELETE CASCADE). Preferences are not call records and stay.
 */
export async function pruneCalls(db: Db, now: Date, retentionDays: number): Promise<{ deleted: number; cutoff: Date }> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS)
  const lastActivity = sql`greatest(${calls.createdAt}, ${calls.endedAt},
    (select max(greatest(s.joined_at, s.left_at)) from call_sessions s where s.call_id = ${calls.id}))`
  const deleted = await db
    .delete(calls)
    .where(sql`${lastActivity} < ${cutoff.toISOString()}::timestamptz`)
    .returning({ id: calls.id })
  return { deleted: deleted.length, cutoff }
}
