import { and, desc, eq, isNull } from 'drizzle-orm'
import type { Db } from '../db/client'
import { appointments, roomParticipants, users, videoRooms, type Appointment, type User } from '../db/schema'

export async function findUser(db: Db, id: number): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id))
  return user
}

export async function findAppointment(db: Db, id: number): Promise<Appointment | undefined> {
  const [appointment] = await db.select().from(appointments).where(eq(appointments.id, id))
  return appointment
}

/**
 * Gives the appointment `roomName` unless it already has a room; either way returns the room it ends up with.
 * The conditional UPDATE is atomic in PostgreSQL: of two concurrent calls exactly one writes, the other reads its name.
 */
export async function assignRoomName(db: Db, appointmentId: number, roomName: string, now: Date): Promise<{ roomName: string; created: boolean }> {
  const [written] = await db
    .update(appointments)
    .set({ videoRoomName: roomName, videoRoomCreatedAt: now })
    .where(and(eq(appointments.id, appointmentId), isNull(appointments.videoRoomName)))
    .returning({ roomName: appointments.videoRoomName })
  if (written?.roomName) return { roomName: written.roomName, created: true }
  const existing = await findAppointment(db, appointmentId)
  if (!existing?.videoRoomName) throw new Error(`Appointment ${appointmentId} has no room after assigning one`)
  return { roomName: existing.videoRoomName, created: false }
}

export interface RoomState {
  room: typeof videoRooms.$inferSelect | undefined
  /** Connected participants of that room; none once it has ended. */
  participants: { identity: string | null; connectedAt: Date | null }[]
}

/** The appointment's latest Twilio room (a room name is reused by a new room after the previous one ended). */
export async function currentRoomState(db: Db, appointmentId: number): Promise<RoomState> {
  const [room] = await db.select().from(videoRooms).where(eq(videoRooms.appointmentId, appointmentId)).orderBy(desc(videoRooms.startedAt)).limit(1)
  if (!room || room.status !== 'in-progress') return { room, participants: [] }
  const participants = await db
    .select({ identity: roomParticipants.identity, connectedAt: roomParticipants.connectedAt })
    .from(roomParticipants)
    .where(and(eq(roomParticipants.roomSid, room.roomSid), eq(roomParticipants.status, 'connected')))
    .orderBy(roomParticipants.connectedAt)
  return { room, participants }
}
