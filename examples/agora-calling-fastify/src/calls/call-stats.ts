import { sql, type SQL } from 'drizzle-orm'

/**
 * CTEs ending in `per_call`: one row per selected call, computed from the recorded join/leave times.
 * A stay still open counts until `now`.
 * - participants: distinct users who joined
 * - duration: first join → last leave, in seconds (NULL when nobody joined)
 * - participant_seconds: the sum of every stay's length
 * - peak: the most people in the call at once (at equal times a leave is counted before a join)
 */
export function perCallStats(callFilter: SQL, now: Date): SQL {
  const at = sql`${now.toISOString()}::timestamptz`
  return sql`
    with sel as (
      select c.id, c.media_type, c.created_at from calls c where ${callFilter}
    ), stays as (
      select s.call_id, s.user_id, s.joined_at, coalesce(s.left_at, ${at}) as left_at
      from call_sessions s join sel on sel.id = s.call_id
    ), events as (
      select call_id, joined_at as t, 1 as delta from stays
      union all
      select call_id, left_at as t, -1 as delta from stays
    ), running as (
      select call_id, sum(delta) over (partition by call_id order by t, delta rows unbounded preceding) as inside from events
    ), peaks as (
      select call_id, max(inside) as peak from running group by call_id
    ), per_call as (
      select sel.id, sel.media_type, sel.created_at,
        count(distinct stays.user_id) as participants,
        extract(epoch from max(stays.left_at) - min(stays.joined_at)) as duration,
        coalesce(sum(extract(epoch from stays.left_at - stays.joined_at)), 0) as participant_seconds,
        coalesce(max(peaks.peak), 0) as peak
      from sel
      left join stays on stays.call_id = sel.id
      left join peaks on peaks.call_id = sel.id
      group by sel.id, sel.media_type, sel.created_at
    )`
}
