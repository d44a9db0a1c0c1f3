import { sql } from 'drizzle-orm'
import type { Db } from './db/client'
import { appointments, users } from './db/schema'

/**
 * Demo users and appointments (appointment 47 is the original API's "Jane Doe with Dr. Sarah"). Inserted only when
 * SEED_DEMO_DATA is on (the default outside production); existing rows are left alone, so a restart changes nothing.
 */
export async function seedDemoData(db: Db): Promise<void> {
  await db
    .insert(users)
    .values([
      { id: 1, email: 'sarah.miller@example.com', fullName: 'Dr. Sarah Miller', role: 'psychologist' },
      { id: 2, email: 'jane.doe@example.com', fullName: 'Jane Doe', role: 'patient' },
      { id: 3, email: 'john.roe@example.com', fullName: 'John Roe', role: 'patient' },
    ])
    .onConflictDoNothing()
  await db
    .insert(appointments)
    .values([
      { id: 47, patientId: 2, psychologistId: 1, startsAt: new Date('2026-12-01T10:00:00Z'), durationMinutes: 60 },
      { id: 48, patientId: 3, psychologistId: 1, startsAt: new Date('2026-12-01T11:30:00Z'), durationMinutes: 15 },
      { id: 49, patientId: 2, psychologistId: 1, startsAt: new Date('2026-12-02T09:00:00Z'), durationMinutes: 300 },
    ])
    .onConflictDoNothing()
  // Explicit ids leave the identity sequences behind; move them past the demo rows.
  await db.execute(sql`SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))`)
  await db.execute(sql`SELECT setval(pg_get_serial_sequence('appointments', 'id'), (SELECT max(id) FROM appointments))`)
}
