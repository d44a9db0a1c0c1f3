/**
 * DEMO CREDENTIALS — well-formed and FAKE, published on purpose so the app starts without an account.
 * Tokens minted with them are real Twilio-format tokens that no real Twilio project accepts.
 * The app refuses to start with any of them when NODE_ENV=production (see config.ts).
 */
export const DEMO_CREDENTIALS = {
  TWILIO_ACCOUNT_SID: 'ACc0ffee00c0ffee00c0ffee00c0ffee00',
  TWILIO_API_KEY_SID: 'SKdec0de00dec0de00dec0de00dec0de00',
  TWILIO_API_KEY_SECRET: 'calltoken-demo-twilio-secret-NOT-FOR-PRODUCTION',
  // An Auth Token is 32 hex digits; this one is fake and only signs the demo's own test callbacks.
  TWILIO_AUTH_TOKEN: '0dec0de00dec0de00dec0de00dec0de0',
  SESSION_JWT_SECRET: 'calltoken-demo-session-secret-NOT-FOR-PRODUCTION',
} as const

export type DemoCredentialName = keyof typeof DEMO_CREDENTIALS
