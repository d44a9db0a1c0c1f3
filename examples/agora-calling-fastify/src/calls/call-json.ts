import type { calls } from '../db/schema.ts'

/** A call row as the original API's JSON shows it (snake_case, ISO times). */
export function callJson(call: typeof calls.$inferSelect) {
  return {
    id: call.id,
    title: call.title,
    description: call.description,
    channel_name: call.channelName,
    creator_id: call.creatorId,
    is_public: call.isPublic,
    max_participants: call.maxParticipants,
    media_type: call.mediaType,
    status: call.status,
    created_at: call.createdAt.toISOString(),
  }
}
