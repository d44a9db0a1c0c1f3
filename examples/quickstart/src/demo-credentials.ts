/**
 * DEMO CREDENTIALS — well-formed and fake. Tokens minted with them are real tokens in the provider's
 * format, but no real project accepts them. Set the environment variables to use your own.
 */
export const DEMO = {
  stream: { apiKey: 'calltokendemo', apiSecret: 'calltoken-demo-secret-NOT-FOR-PRODUCTION' },
  // Agora's own published test App ID and certificate (the AccessToken2 test vectors).
  agora: { appId: '970CA35de60c44645bbae8a215061b33', appCertificate: '5CFd2fd1755d40ecb72977518be15d3b' },
  twilio: {
    accountSid: 'ACc0ffee00c0ffee00c0ffee00c0ffee00',
    apiKeySid: 'SKdec0de00dec0de00dec0de00dec0de00',
    apiKeySecret: 'calltoken-demo-twilio-secret-NOT-FOR-PRODUCTION',
  },
  livekit: { apiKey: 'APIcalltokendemo', apiSecret: 'calltoken-demo-livekit-secret-NOT-FOR-PRODUCTION' },
  zoom: { sdkKey: 'calltokendemozoomsdkkey', sdkSecret: 'calltoken-demo-zoom-secret-NOT-FOR-PRODUCTION' },
  daily: { apiKey: 'c0ffee00'.repeat(8), domainId: 'c0ffee00-0000-4000-8000-00000000da11' },
} as const

/** An environment variable, or the demo value (and a note that the demo value was used). */
export function fromEnv(name: string, demo: string, notes: string[]): string {
  const value = process.env[name]
  if (value) return value
  notes.push(`${name} not set: using the documented demo value`)
  return demo
}
