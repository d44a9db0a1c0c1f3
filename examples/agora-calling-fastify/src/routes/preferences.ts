import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import type { Clock } from '../clock.ts'
import type { Db } from '../db/client.ts'
import { VIDEO_QUALITIES } from '../db/schema.ts'
import { parseOr400 } from '../errors.ts'
import { getPreferences, updatePreferences } from '../preferences.ts'

// Any subset of the fields; at least one.
const preferencesBody = z
  .strictObject({
    voice_masking_enabled: z.boolean(),
    video_masking_enabled: z.boolean(),
    auto_mute_on_join: z.boolean(),
    video_quality: z.enum(VIDEO_QUALITIES),
    // A file name from the app's avatar set, not a URL (nothing to fetch, nothing to inject).
    preferred_avatar: z.string().regex(/^[A-Za-z0-9_-]{1,64}\.(png|jpg|webp)$/, 'preferred_avatar must be a file name like avatar_001.png').nullable(),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'at least one preference is required')

export const preferenceRoutes: FastifyPluginAsync<{ db: Db; clock: Clock }> = async (app, { db, clock }) => {
  app.get('/preferences', async (request) => getPreferences(db, request.caller.id))

  app.put('/preferences', async (request) => {
    const patch = parseOr400(preferencesBody, request.body)
    const preferences = await updatePreferences(db, request.caller.id, patch, clock())
    request.log.info({ fields: Object.keys(patch) }, 'preferences updated')
    return { success: true, message: 'Preferences updated successfully', preferences }
  })
}
