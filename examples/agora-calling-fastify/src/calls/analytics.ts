import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../db/client.ts'
import { perCallStats } from './call-stats.ts'

export const GROUP_BY = ['day', 'week', 'month'] as const

export interface AnalyticsQuery {
  /** Calls created in the last `days` UTC days, today included. */
  days: number
  groupBy: (typeof GROUP_BY)[number]
}

export interface BucketStats {
  /** First day of the bucket (UTC, weeks start on Monday). */
  date: string
  total_calls: number
  total_participants: number
  avg_duration: number
  audio_minutes: number
  video_minutes: number
}

export interface AnalyticsSummary {
  totalCalls: number
  totalParticipants: number
  totalAudioMinutes: number
  totalVideoMinutes: number
  averageCallDuration: number
  peakParticipants: number
}

const DAY_MS = 86_400_000

/**
 * Per-bucket and overall call statistics from the recorded join/leave times. Each call counts in the bucket
 * of its creation, with all of its stays. Every bucket of the window is listed, empty ones with zeros.
 * Aggregates only: no user id, internal or public, appears in the answer.
 */
export async function callAnalytics(db: Db, query: AnalyticsQuery, now: Date) {
  const since = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - (query.days - 1) * DAY_MS)
  // groupBy comes from the GROUP_BY enum (validated by the route), so it can be inlined.
  if (!(GROUP_BY as readonly string[]).includes(query.groupBy)) throw new Error(`unknown groupBy ${query.groupBy}`)
  const unit = sql.raw(`'${query.groupBy}'`)
  const step = sql.raw(`interval '1 ${query.groupBy}'`)
  const sinceAt = sql`${since.toISOString()}::timestamptz`
  const nowAt = sql`${now.toISOString()}::timestamptz`
  const stats = perCallStats(sql`c.created_at >= ${sinceAt} and c.created_at <= ${nowAt}`, now)

  // One snapshot for both queries, so the summary always agrees with the buckets.
  return db.transaction(
    async (tx) => {
      const dailyStats = await queryRows<BucketStats>(
        tx,
        sql`${stats}, buckets as (
          select generate_series(date_trunc(${unit}, ${sinceAt} at time zone 'UTC'), date_trunc(${unit}, ${nowAt} at time zone 'UTC'), ${step}) as bucket
        )
        select to_char(b.bucket, 'YYYY-MM-DD') as date,
          count(pc.id)::int as total_calls,
          coalesce(sum(pc.participants), 0)::int as total_participants,
          coalesce(round(avg(pc.duration)), 0)::int as avg_duration,
          coalesce(round(sum(pc.participant_seconds) filter (where pc.media_type = 'audio') / 60), 0)::int as audio_minutes,
          coalesce(round(sum(pc.participant_seconds) filter (where pc.media_type = 'video') / 60), 0)::int as video_minutes
        from buckets b
        left join per_call pc on date_trunc(${unit}, pc.created_at at time zone 'UTC') = b.bucket
        group by b.bucket
        order by b.bucket`,
      )
      const [summary] = await queryRows<AnalyticsSummary>(
        tx,
        sql`${stats}
        select count(*)::int as "totalCalls",
          coalesce(sum(participants), 0)::int as "totalParticipants",
          coalesce(round(sum(participant_seconds) filter (where media_type = 'audio') / 60), 0)::int as "totalAudioMinutes",
          coalesce(round(sum(participant_seconds) filter (where media_type = 'video') / 60), 0)::int as "totalVideoMinutes",
          coalesce(round(avg(duration)), 0)::int as "averageCallDuration",
          coalesce(max(peak), 0)::int as "peakParticipants"
        from per_call`,
      )
      return { dailyStats, summary: summary! }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  )
}
