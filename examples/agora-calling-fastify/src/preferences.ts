import { eq } from 'drizzle-orm'
import type { Db } from './db/client.ts'
import { callPreferences, type VIDEO_QUALITIES } from './db/schema.ts'

export interface Preferences {
  voice_masking_enabled: boolean
  video_masking_enabled: boolean
  auto_mute_on_join: boolean
  video_quality: (typeof VIDEO_QUALITIES)[number]
  preferred_avatar: string | null
}

/** Masking on by default: a user who never opened the settings is not exposed. */
export const DEFAULT_PREFERENCES: Preferences = {
  voice_masking_enabled: true,
  video_masking_enabled: true,
  auto_mute_on_join: false,
  video_quality: 'hd',
  preferred_avatar: null,
}

type Row = typeof callPreferences.$inferSelect

const toApi = (row: Row): Preferences => ({
  voice_masking_enabled: row.voiceMaskingEnabled,
  video_masking_enabled: row.videoMaskingEnabled,
  auto_mute_on_join: row.autoMuteOnJoin,
  video_quality: row.videoQuality,
  preferred_avatar: row.preferredAvatar,
})

const toColumns = (p: Partial<Preferences>) => ({
  ...(p.voice_masking_enabled === undefined ? {} : { voiceMaskingEnabled: p.voice_masking_enabled }),
  ...(p.video_masking_enabled === undefined ? {} : { videoMaskingEnabled: p.video_masking_enabled }),
  ...(p.auto_mute_on_join === undefined ? {} : { autoMuteOnJoin: p.auto_mute_on_join }),
  ...(p.video_quality === undefined ? {} : { videoQuality: p.video_quality }),
  ...(p.preferred_avatar === undefined ? {} : { preferredAvatar: p.preferred_avatar }),
})

/** The stored preferences, or the defaults (with null times) for a user who never saved any. */
export async function getPreferences(db: Db, userId: number) {
  const [row] = await db.select().from(callPreferences).where(eq(callPreferences.userId, userId))
  if (!row) return { ...DEFAULT_PREFERENCES, created_at: null, updated_at: null }
  return { ...toApi(row), created_at: row.createdAt.toISOString(), updated_at: row.updatedAt.toISOString() }
}

/** Saves the given fields; the others keep their stored (or default) values. One statement, so two saves cannot interleave. */
export async function updatePreferences(db: Db, userId: number, patch: Partial<Preferences>, now: Date): Promise<Preferences> {
  const [row] = await db
    .insert(callPreferences)
    .values({ userId, ...toColumns({ ...DEFAULT_PREFERENCES, ...patch }), createdAt: now, updatedAt: now } as typeof callPreferences.$inferInsert)
    .onConflictDoUpdate({ target: callPreferences.userId, set: { ...toColumns(patch), updatedAt: now } })
    .returning()
  return toApi(row!)
}
