import type { IssuedToken } from '@calltoken/core'
import type { Db } from './db/client'
import { issuedTokens } from './db/schema'

export interface IssuedTokenEvent {
  readonly kind: 'user' | 'call'
  readonly issued: IssuedToken
  /** Who asked; null for an anonymous request. */
  readonly requestedBy: string | null
}

/** One row per issued token: whom it is for, who asked, which call, when it expires. Never the token. */
export async function recordIssuedToken(db: Db, { kind, issued, requestedBy }: IssuedTokenEvent): Promise<void> {
  await db.insert(issuedTokens).values({
    userId: issued.userId,
    requestedBy,
    kind,
    callCid: issued.callId === undefined ? null : `${issued.callType ?? 'default'}:${issued.callId}`,
    issuedAt: issued.issuedAt,
    expiresAt: issued.expiresAt,
  })
}
