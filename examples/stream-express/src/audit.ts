import type { TokenIssuedEvent } from '@calltoken/express'
import type { Db } from './db/client'
import { issuedTokens } from './db/schema'

/**
 * The token routes' `onIssued`: one row per issued token (whom it is for, who asked, which call, when it expires;
 * never the token), written before the answer. When the insert fails, the token is not sent.
 */
export function recordIssuedTokens(db: Db): (event: TokenIssuedEvent) => Promise<void> {
  return async ({ issued, principal }) => {
    await db.insert(issuedTokens).values({
      userId: issued.userId,
      requestedBy: principal?.userId ?? null, // null: an anonymous request
      // Call tokens carry a call role; user tokens (one restricted to a call included) carry none.
      kind: issued.role === undefined ? 'user' : 'call',
      callCid: issued.callId === undefined ? null : `${issued.callType ?? 'default'}:${issued.callId}`,
      issuedAt: issued.issuedAt,
      expiresAt: issued.expiresAt,
    })
  }
}
