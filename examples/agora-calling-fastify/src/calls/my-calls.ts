import { and, desc, eq, isNotNull, isNull, or, sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { callJson } from './call-json.ts'
import { callMembers, calls, callSessions, type CALL_STATUSES } from '../db/schema.ts'

export interface MyCallsQuery {
  limit: number
  status?: (typeof CALL_STATUSES)[number]
}

/**
 * The calls a user can access: those they host, were invited to or joined (unless an admin removed them),
 * plus active public calls they have not joined yet (role null). Newest first.
 */
export async function myCalls(db: Db, userId: number, query: MyCallsQuery) {
  const present = db
    .select({ callId: callSessions.callId, n: sql<number>`count(*)::int`.as('n') })
    .from(callSessions)
    .where(isNull(callSessions.leftAt))
    .groupBy(callSessions.callId)
    .as('present')
  const rows = await db
    .select({ call: calls, role: callMembers.role, participantCount: sql<number>`coalesce(${present.n}, 0)` })
    .from(calls)
    .leftJoin(callMembers, and(eq(callMembers.callId, calls.id), eq(callMembers.userId, userId)))
    .leftJoin(present, eq(present.callId, calls.id))
    .where(
      and(
        or(
          and(isNotNull(callMembers.userId), isNull(callMembers.removedAt)),
          and(isNull(callMembers.userId), eq(calls.isPublic, true), eq(calls.status, 'active')),
        ),
        query.status === undefined ? undefined : eq(calls.status, query.status),
      ),
    )
    .orderBy(desc(calls.createdAt), desc(calls.id))
    .limit(query.limit)
  return rows.map(({ call, role, participantCount }) => ({
    ...callJson(call),
    role,
    participant_count: Number(participantCount),
  }))
}
