import { eq } from 'drizzle-orm'
import type { Db } from './db/client'
import { users, type User } from './db/schema'

export async function findUser(db: Db, id: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1)
  return user
}
