import { bigserial, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

// Mirrors migrations/*.sql, which are the source of truth for the database; these are the query types.

export const USER_ROLES = ['member', 'admin'] as const
export type UserRole = (typeof USER_ROLES)[number]

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull(),
  displayName: text('display_name').notNull(),
  role: text('role', { enum: USER_ROLES }).notNull().default('member'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

export const issuedTokens = pgTable(
  'issued_tokens',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Whom the token is for. */
    userId: text('user_id').notNull(),
    /** Who asked for it (an admin may ask for another user); null when anonymous. */
    requestedBy: text('requested_by'),
    kind: text('kind', { enum: ['user', 'call'] }).notNull(),
    /** "<callType>:<callId>" for a token restricted to one call. */
    callCid: text('call_cid'),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('issued_tokens_user_issued_at').on(t.userId, t.issuedAt.desc())],
)

/** A call's status, from Stream's webhooks (routes/stream-webhook.ts). */
export const callStatus = pgTable('call_status', {
  callCid: text('call_cid').primaryKey(),
  status: text('status', { enum: ['live', 'ended'] }).notNull(),
  participants: integer('participants').notNull().default(0),
  startedAt: timestamp('started_at', { withTimezone: true }),
  endedAt: timestamp('ended_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
})

/** Webhook deliveries already applied, by X-Webhook-Id: a second delivery of one changes nothing. */
export const streamWebhookDeliveries = pgTable('stream_webhook_deliveries', {
  webhookId: text('webhook_id').primaryKey(),
  type: text('type').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
})

export type User = typeof users.$inferSelect
export type IssuedTokenRow = typeof issuedTokens.$inferSelect
export type CallStatusRow = typeof callStatus.$inferSelect
