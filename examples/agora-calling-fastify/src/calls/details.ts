import { asc, eq, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../db/client.ts'
import { callMembers, calls, callSessions } from '../db/schema.ts'
import { notFound } from '../errors.ts'
import type { PublicIdOf } from '../public-id.ts'
import { callJson } from './call-json.ts'
import { perCallStats } from './call-stats.ts'

interface CallStatsRow {
  total_participants: number
  peak_participants: number
  total_duration_seconds: number
  audio_minutes_consumed: number
  video_minutes_consumed: number
}

/** One call for an admin: the call, every stay (with the user's masked id next to the internal one) and its stats. */
export async function callDetails(db: Db, callId: number, now: Date, publicIdOf: PublicIdOf) {
  return db.transaction(
    async (tx) => {
      const [call] = await tx.select().from(calls).where(eq(calls.id, callId))
      if (!call) throw notFound('Call not found')
      const members = await tx.select().from(callMembers).where(eq(callMembers.callId, callId))
      const roleOf = new Map(members.map((m) => [m.userId, m.role]))
      const stays = await tx.select().from(callSessions).where(eq(callSessions.callId, callId)).orderBy(asc(callSessions.joinedAt), asc(callSessions.id))
      const [stats] = await queryRows<CallStatsRow>(
        tx,
        sql`${perCallStats(sql`c.id = ${callId}`, now)}
        select participants::int as total_participants,
          peak::int as peak_participants,
          coalesce(round(duration), 0)::int as total_duration_seconds,
          (case when media_type = 'audio' then round(participant_seconds / 60) else 0 end)::int as audio_minutes_consumed,
          (case when media_type = 'video' then round(participant_seconds / 60) else 0 end)::int as video_minutes_consumed
        from per_call`,
      )
      return {
        call: { ...callJson(call), ended_at: call.endedAt?.toISOString() ?? null },
        participants: stays.map((stay) => ({
          user_id: stay.userId,
          oto_number: publicIdOf(stay.userId),
          role: roleOf.get(stay.userId) ?? 'participant',
          joined_at: stay.joinedAt.toISOString(),
          left_at: stay.leftAt?.toISOString() ?? null,
          left_reason: stay.leftReason,
          duration_seconds: Math.round(((stay.leftAt ?? now).getTime() - stay.joinedAt.getTime()) / 1000),
        })),
        stats: stats!,
      }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  )
}
