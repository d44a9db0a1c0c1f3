import { bigint, boolean, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'

// Mirrors migrations/*.sql (the migrations are the source of truth; drizzle-kit is not used).

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })
const userId = (name: string) => bigint(name, { mode: 'number' })

export const CALL_STATUSES = ['active', 'ended', 'paused'] as const
export const MEDIA_TYPES = ['audio', 'video'] as const
export const MEMBER_ROLES = ['host', 'participant', 'invitee'] as const
export const LEFT_REASONS = ['left', 'removed', 'ended'] as const
export const VIDEO_QUALITIES = ['low', 'sd', 'hd'] as const

export const calls = pgTable('calls', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  channelName: text('channel_name').notNull().unique(),
  title: text('title').notNull(),
  description: text('description').notNull().default(''),
  creatorId: userId('creator_id').notNull(),
  isPublic: boolean('is_public').notNull(),
  maxParticipants: integer('max_participants').notNull(),
  mediaType: text('media_type', { enum: MEDIA_TYPES }).notNull(),
  status: text('status', { enum: CALL_STATUSES }).notNull().default('active'),
  createdAt: at('created_at').notNull(),
  endedAt: at('ended_at'),
})

export const callMembers = pgTable(
  'call_members',
  {
    callId: bigint('call_id', { mode: 'number' })
      .notNull()
      .references(() => calls.id, { onDelete: 'cascade' }),
    userId: userId('user_id').notNull(),
    role: text('role', { enum: MEMBER_ROLES }).notNull(),
    createdAt: at('created_at').notNull(),
    removedAt: at('removed_at'),
  },
  (t) => [primaryKey({ columns: [t.callId, t.userId] })],
)

export const callSessions = pgTable('call_sessions', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  callId: bigint('call_id', { mode: 'number' })
    .notNull()
    .references(() => calls.id, { onDelete: 'cascade' }),
  userId: userId('user_id').notNull(),
  joinedAt: at('joined_at').notNull(),
  leftAt: at('left_at'),
  leftReason: text('left_reason', { enum: LEFT_REASONS }),
})

export const callPreferences = pgTable('call_preferences', {
  userId: userId('user_id').primaryKey(),
  voiceMaskingEnabled: boolean('voice_masking_enabled').notNull(),
  videoMaskingEnabled: boolean('video_masking_enabled').notNull(),
  autoMuteOnJoin: boolean('auto_mute_on_join').notNull(),
  videoQuality: text('video_quality', { enum: VIDEO_QUALITIES }).notNull(),
  preferredAvatar: text('preferred_avatar'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
})

export const schema = { calls, callMembers, callSessions, callPreferences }
