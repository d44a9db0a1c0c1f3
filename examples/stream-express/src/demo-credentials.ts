/**
 * DEMO CREDENTIALS — well-formed and fake, for `pnpm dev` only. Tokens minted with them are real Stream
 * tokens, but no real Stream app accepts them. config.ts refuses every one of these when NODE_ENV=production.
 */
export const DEMO = {
  /** Stream's API key and secret (set STREAM_API_KEY / STREAM_API_SECRET to use your own app). */
  stream: { apiKey: 'calltokendemo', apiSecret: 'calltoken-demo-secret-NOT-FOR-PRODUCTION' },
  /** Signs and verifies the users' session JWTs (set SESSION_JWT_SECRET). */
  sessionJwtSecret: 'calltoken-demo-session-jwt-secret-NOT-FOR-PRODUCTION',
} as const

/** The users the demo creates on its first start (an empty users table), so the curl walkthrough works. */
export const DEMO_USERS = [
  { id: 'alice', email: 'alice@example.com', displayName: 'Alice (demo admin)', role: 'admin' },
  { id: 'bob', email: 'bob@example.com', displayName: 'Bob (demo member)', role: 'member' },
] as const
