// Types of credentials.mjs for TypeScript projects that import it without allowJs (examples/edge-worker's tests,
// through test/recheck.ts). This package's own tsconfig.json checks credentials.mjs itself.
export declare const CREDENTIALS: {
  readonly stream: { readonly apiKey: string; readonly apiSecret: string }
  readonly agora: { readonly appId: string; readonly appCertificate: string }
  readonly twilio: { readonly accountSid: string; readonly apiKeySid: string; readonly apiKeySecret: string }
  readonly livekit: { readonly apiKey: string; readonly apiSecret: string }
  readonly zoom: { readonly sdkKey: string; readonly sdkSecret: string }
  readonly daily: { readonly apiKey: string; readonly domainId: string }
}
export declare const USER_ID: string
export declare const CALL_ID: string
export declare const ROLE: string
export declare const PROVIDERS: string[]
