/**
 * DEMO CREDENTIALS — well-formed and fake, for `pnpm dev` and the tests only. Tokens minted with them
 * are real AccessToken2 tokens, but no real Agora project accepts them. The app refuses to start with
 * any of these values when NODE_ENV=production (see config.ts).
 */
export const DEMO_CREDENTIALS = {
  // Agora's own published test App ID and certificate (the AccessToken2 test vectors): not a live project.
  AGORA_APP_ID: '970CA35de60c44645bbae8a215061b33',
  AGORA_APP_CERTIFICATE: '5CFd2fd1755d40ecb72977518be15d3b',
  // Signs the demo session JWTs that `pnpm token` prints.
  JWT_SECRET: 'demo-jwt-secret-agora-calling-NOT-FOR-PRODUCTION',
  // Keys the masked public ids (OTO#…) written to logs and analytics.
  PUBLIC_ID_SECRET: 'demo-public-id-secret-agora-calling-NOT-FOR-PRODUCTION',
} as const

export type DemoCredentialName = keyof typeof DEMO_CREDENTIALS
