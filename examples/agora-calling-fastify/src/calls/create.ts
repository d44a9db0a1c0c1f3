import { randomBytes } from 'node:crypto'
import type { Db } from '../db/client.ts'
import { callMembers, calls, type MEDIA_TYPES } from '../db/schema.ts'

export interface NewCall {
  title: string
  description: string
  isPublic: boolean
  maxParticipants: number
  mediaType: (typeof MEDIA_TYPES)[number]
}

/**
 * `call_<unix seconds>_<32 hex>`: the original API's format, with 128 random bits so a channel name cannot be
 * guessed (48 bytes, within Agora's 64-byte channel limit and character set).
 */
export function newChannelName(now: Date): string {
  return `call_${Math.floor(now.getTime() / 1000)}_${randomBytes(16).toString('hex')}`
}

/** Creates the call with its creator as host. The host still joins like everyone else. */
export async function createCall(db: Db, input: NewCall, creatorId: number, now: Date) {
  return db.transaction(async (tx) => {
    const [call] = await tx
      .insert(calls)
      .values({ ...input, channelName: newChannelName(now), creatorId, createdAt: now })
      .returning()
    if (!call) throw new Error('insert into calls returned no row')
    await tx.insert(callMembers).values({ callId: call.id, userId: creatorId, role: 'host', createdAt: now })
    return call
  })
}
