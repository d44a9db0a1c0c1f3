import { CallTokenError, tokenRoute, type CallTokenRouteOptions, type FastifyTokenRoute } from '@calltoken/fastify'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { callIdForToken } from '../calls/token-access.ts'
import type { Db } from '../db/client.ts'
import { RATE_LIMITS } from '../rate-limits.ts'

const tokenBody = z.strictObject({
  channelName: z.string().min(1).max(64),
  // Optional: the uid is always the caller's own. A client that sends one must send that one.
  uid: z.number().int().positive().optional(),
})

/** The app's error codes for the ones calltoken raises here, so every route answers in one vocabulary. */
const APP_CODES: Readonly<Record<string, string>> = {
  ERR_CALLTOKEN_INVALID_INPUT: 'INVALID_REQUEST',
  ERR_CALLTOKEN_MALFORMED_BODY: 'INVALID_REQUEST',
  ERR_CALLTOKEN_BODY_TOO_LARGE: 'INVALID_REQUEST',
  ERR_CALLTOKEN_UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  ERR_CALLTOKEN_FORBIDDEN: 'FORBIDDEN',
  ERR_CALLTOKEN_UNAUTHENTICATED: 'UNAUTHENTICATED',
  ERR_CALLTOKEN_RATE_LIMITED: 'RATE_LIMITED',
}

const NAME = 'calling-token'

/**
 * POST /token with the original API's body and answer, on calltoken's token-route pipeline: strict JSON parsing,
 * validation, the own-user rule, the per-user rate limit (60/min), minting with the app's 24 h policy,
 * and `Cache-Control: no-store` on every answer.
 */
export const callingTokenRoute: FastifyPluginAsync<{ db: Db; appId: string }> = async (app, { db, appId }) => {
  const route: FastifyTokenRoute = {
    name: NAME,
    kind: 'call',
    method: 'post',
    path: '/token',
    async input({ req, body }) {
      const parsed = tokenBody.safeParse(body)
      if (!parsed.success) {
        const message = `Validation failed: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`
        throw new CallTokenError('ERR_CALLTOKEN_MALFORMED_BODY', message)
      }
      const { channelName, uid } = parsed.data
      const caller = req.caller
      // A uid picked by the client (the original API's example uses a random one) would let anyone join as anyone.
      if (uid !== undefined && uid !== caller.id) throw new CallTokenError('ERR_CALLTOKEN_FORBIDDEN', 'uid must be your own user id')
      // One answer for "no such channel", "not in it" and "ended": channel names stay unprobeable.
      if ((await callIdForToken(db, channelName, caller.id)) === undefined) {
        throw new CallTokenError('ERR_CALLTOKEN_FORBIDDEN', 'Access denied to this call')
      }
      return { userId: String(caller.id), callId: channelName }
    },
    respond: (issued) => ({
      token: issued.token,
      appId,
      channelName: issued.callId,
      uid: Number(issued.userId),
      expiresAt: Math.floor(issued.expiresAt.getTime() / 1000),
    }),
    respondError(error, req) {
      if (error.status >= 500) {
        // calltoken has already scrubbed the credentials from the error and its cause.
        req.log.error({ err: error }, 'token generation failed')
        return { success: false, error: 'Token generation failed', code: 'TOKEN_GENERATION_FAILED' }
      }
      return { success: false, error: error.message, code: APP_CODES[error.code] ?? error.code }
    },
  }

  const options: CallTokenRouteOptions<typeof app.callToken.provider, FastifyRequest> & { route: FastifyTokenRoute } = {
    // The same provider and 24 h policy as `fastify.callToken`.
    provider: app.callToken.provider,
    policy: app.callToken.policy,
    // The calling context's onRequest hook has verified the session already.
    authenticate: (req) => ({ userId: String(req.caller.id), roles: req.caller.roles }),
    rateLimit: { routes: { [NAME]: { max: RATE_LIMITS.token.max, windowMs: RATE_LIMITS.token.timeWindow } } },
    onIssued: ({ issued, req }) => {
      // The channel, not the token: Agora Console finds calls by channel name.
      req.log.info({ channel: issued.callId, expiresAt: Math.floor(issued.expiresAt.getTime() / 1000) }, 'agora token issued')
    },
    route,
  }
  await app.register(tokenRoute, options)
}
