/**
 * DEMO CREDENTIALS — well-formed and fake. Tokens minted with them are real tokens in the provider's
 * format, but no real project accepts them. Set the environment variables to use your own.
 */
export const DEMO = {
  stream: { apiKey: 'calltokendemo', apiSecret: 'calltoken-demo-secret-NOT-FOR-PRODUCTION' },
} as const

/** An environment variable, or the demo value (and a note that the demo value was used). */
export function fromEnv(name: string, demo: string, notes: string[]): string {
  const value = process.env[name]
  if (value) return value
  notes.push(`${name} not set: using the documented demo value`)
  return demo
}
