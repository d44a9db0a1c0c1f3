import type { WebhookEvent } from '@calltoken/express'
import { eq, sql } from 'drizzle-orm'
import type { Db } from './db/client'
import { callStatus, streamWebhookDeliveries, type CallStatusRow } from './db/schema'

export type CallEventResult = 'applied' | 'duplicate' | 'ignored'

// The Stream events that change a call's status, and how.
const CHANGES: Readonly<Record<string, 'started' | 'ended' | 'joined' | 'left'>> = {
  'call.session_started': 'started',
  'call.session_ended': 'ended',
  'call.session_participant_joined': 'joined',
  'call.session_participant_left': 'left',
}

/**
 * Applies one verified Stream webhook to `call_status`, in one transaction with the record of its delivery, so a
 * delivery Stream sends twice (same X-Webhook-Id) is applied once.
 */
export async function applyCallEvent(db: Db, event: WebhookEvent, received: Date): Promise<CallEventResult> {
  const change = CHANGES[event.type]
  const callCid = event.payload.call_cid
  if (change === undefined || typeof callCid !== 'string') return 'ignored'
  return db.transaction(async (tx) => {
    if (event.id !== undefined) {
      const inserted = await tx.insert(streamWebhookDeliveries).values({ webhookId: event.id, type: event.type, receivedAt: received }).onConflictDoNothing().returning()
      if (inserted.length === 0) return 'duplicate'
    }
    await tx.insert(callStatus).values({ callCid, status: 'live', updatedAt: received }).onConflictDoNothing()
    const updates = {
      started: { status: 'live' as const, startedAt: received, endedAt: null },
      ended: { status: 'ended' as const, endedAt: received, participants: 0 },
      joined: { participants: sql`${callStatus.participants} + 1` },
      left: { participants: sql`greatest(${callStatus.participants} - 1, 0)` },
    }[change]
    await tx.update(callStatus).set({ ...updates, updatedAt: received }).where(eq(callStatus.callCid, callCid))
    return 'applied'
  })
}

export async function findCallStatus(db: Db, callCid: string): Promise<CallStatusRow | undefined> {
  const [row] = await db.select().from(callStatus).where(eq(callStatus.callCid, callCid))
  return row
}
