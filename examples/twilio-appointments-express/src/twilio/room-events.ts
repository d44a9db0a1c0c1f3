import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { appointments, roomEvents, roomParticipants, videoRooms } from '../db/schema'

/** One Twilio room status callback, already signature-checked and parsed. */
export interface RoomStatusEvent {
  /** StatusCallbackEvent: room-created, room-ended, participant-connected, participant-disconnected, track-added… */
  event: string
  roomSid: string
  roomName: string
  sequenceNumber?: number
  participantSid?: string
  participantIdentity?: string
  trackSid?: string
  occurredAt: Date
}

export type ApplyResult = 'applied' | 'duplicate' | 'unknown-room'

/**
 * A retried delivery carries the same parameters, so it gets the same key; two different events never share all of
 * room, sequence number, event and participant/track.
 */
export function eventKey(e: RoomStatusEvent): string {
  return [e.roomSid, e.sequenceNumber ?? `t${e.occurredAt.getTime()}`, e.event, e.participantSid ?? '', e.trackSid ?? ''].join(':')
}

/**
 * Applies a callback in one transaction. Idempotent twice over: a repeated event is recognised by its key and
 * skipped, and the state changes commute (a participant is keyed by ParticipantSid, "disconnected" and "completed"
 * are final), so retries and out-of-order deliveries give the same counts.
 */
export async function applyRoomEvent(db: Db, e: RoomStatusEvent, receivedAt: Date): Promise<ApplyResult> {
  return db.transaction(async (tx) => {
    const [appointment] = await tx.select({ id: appointments.id }).from(appointments).where(eq(appointments.videoRoomName, e.roomName))
    if (!appointment) return 'unknown-room'

    const inserted = await tx
      .insert(roomEvents)
      .values({
        eventKey: eventKey(e),
        roomSid: e.roomSid,
        appointmentId: appointment.id,
        event: e.event,
        sequenceNumber: e.sequenceNumber ?? null,
        participantSid: e.participantSid ?? null,
        occurredAt: e.occurredAt,
        receivedAt,
      })
      .onConflictDoNothing()
      .returning({ key: roomEvents.eventKey })
    if (inserted.length === 0) return 'duplicate'

    // Any event proves the room exists, even when its room-created callback is late or lost.
    await tx
      .insert(videoRooms)
      .values({ roomSid: e.roomSid, appointmentId: appointment.id, roomName: e.roomName, status: 'in-progress', startedAt: e.occurredAt, updatedAt: receivedAt })
      .onConflictDoUpdate({
        target: videoRooms.roomSid,
        set: { startedAt: sql`least(${videoRooms.startedAt}, excluded.started_at)`, updatedAt: receivedAt },
      })

    if (e.event === 'room-ended') {
      await tx.update(videoRooms).set({ status: 'completed', endedAt: e.occurredAt }).where(eq(videoRooms.roomSid, e.roomSid))
      await tx
        .update(roomParticipants)
        .set({ status: 'disconnected', disconnectedAt: e.occurredAt })
        .where(and(eq(roomParticipants.roomSid, e.roomSid), eq(roomParticipants.status, 'connected')))
    } else if ((e.event === 'participant-connected' || e.event === 'participant-disconnected') && e.participantSid) {
      const connected = e.event === 'participant-connected'
      await tx
        .insert(roomParticipants)
        .values({
          participantSid: e.participantSid,
          roomSid: e.roomSid,
          identity: e.participantIdentity ?? null,
          status: connected ? 'connected' : 'disconnected',
          connectedAt: connected ? e.occurredAt : null,
          disconnectedAt: connected ? null : e.occurredAt,
        })
        .onConflictDoUpdate({
          target: roomParticipants.participantSid,
          // "connected" never overwrites "disconnected": a late connect after its disconnect must not count.
          set: connected
            ? { connectedAt: e.occurredAt, identity: sql`coalesce(${roomParticipants.identity}, excluded.identity)` }
            : { status: 'disconnected', disconnectedAt: e.occurredAt, identity: sql`coalesce(${roomParticipants.identity}, excluded.identity)` },
        })
    }
    return 'applied'
  })
}
