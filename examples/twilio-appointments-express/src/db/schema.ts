import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

// Mirrors migrations/*.sql, which are the source of truth for the database; this file only types the queries.

export const users = pgTable('users', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  email: text('email').notNull(),
  fullName: text('full_name').notNull(),
  role: text('role', { enum: ['patient', 'psychologist'] }).notNull(),
})

export const appointments = pgTable('appointments', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  patientId: integer('patient_id').notNull(),
  psychologistId: integer('psychologist_id').notNull(),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  durationMinutes: integer('duration_minutes').notNull(),
  videoRoomName: text('video_room_name'),
  videoRoomCreatedAt: timestamp('video_room_created_at', { withTimezone: true }),
})

export const videoRooms = pgTable('video_rooms', {
  roomSid: text('room_sid').primaryKey(),
  appointmentId: integer('appointment_id').notNull(),
  roomName: text('room_name').notNull(),
  status: text('status', { enum: ['in-progress', 'completed'] }).notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  endedAt: timestamp('ended_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
})

export const roomParticipants = pgTable('room_participants', {
  participantSid: text('participant_sid').primaryKey(),
  roomSid: text('room_sid').notNull(),
  identity: text('identity'),
  status: text('status', { enum: ['connected', 'disconnected'] }).notNull(),
  connectedAt: timestamp('connected_at', { withTimezone: true }),
  disconnectedAt: timestamp('disconnected_at', { withTimezone: true }),
})

export const roomEvents = pgTable('room_events', {
  eventKey: text('event_key').primaryKey(),
  roomSid: text('room_sid').notNull(),
  appointmentId: integer('appointment_id').notNull(),
  event: text('event').notNull(),
  sequenceNumber: integer('sequence_number'),
  participantSid: text('participant_sid'),
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
})

export const schema = { users, appointments, videoRooms, roomParticipants, roomEvents }
export type User = typeof users.$inferSelect
export type Appointment = typeof appointments.$inferSelect
