import { count } from 'drizzle-orm'
import { DEMO_USERS } from '../demo-credentials'
import type { Db } from './client'
import { users } from './schema'

/**
 * Creates the demo users on a first start (an empty users table) and returns their ids; later starts
 * change nothing, so a demo user that was deleted stays deleted.
 */
export async function seedDemoUsers(db: Db): Promise<string[]> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ n: count() }).from(users)
    if ((row?.n ?? 0) > 0) return []
    // Two instances starting together may both see an empty table: the second insert then does nothing.
    const inserted = await tx.insert(users).values([...DEMO_USERS]).onConflictDoNothing().returning({ id: users.id })
    return inserted.map((u) => u.id)
  })
}
