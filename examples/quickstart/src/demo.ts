import { createTokenService, type CallTokenProvider, type DecodedToken, type IssuedToken } from '@calltoken/core'
import { agora } from '@calltoken/agora'
import { daily } from '@calltoken/daily'
import { livekit } from '@calltoken/livekit'
import { stream } from '@calltoken/stream'
import { twilio } from '@calltoken/twilio'
import { zoom } from '@calltoken/zoom'
import { DEMO, fromEnv } from './demo-credentials'

export interface DemoResult {
  readonly provider: string
  readonly notes: readonly string[]
  readonly userToken: IssuedToken
  readonly callToken: IssuedToken
  /** Each token read back by the provider's verifier (signature and expiry checked). */
  readonly verified: { readonly user: DecodedToken; readonly call: DecodedToken }
}

export interface DemoProvider {
  readonly provider: CallTokenProvider
  /** Which credentials came from the demo defaults. */
  readonly notes: readonly string[]
}

function configured(make: (env: (name: string, demo: string) => string) => CallTokenProvider): DemoProvider {
  const notes: string[] = []
  return { provider: make((name, demo) => fromEnv(name, demo, notes)), notes }
}

/** The providers the demo runs, from environment variables or the demo credentials. */
export function demoProviders(): DemoProvider[] {
  return [
    configured((env) => stream({ apiKey: env('STREAM_API_KEY', DEMO.stream.apiKey), apiSecret: env('STREAM_API_SECRET', DEMO.stream.apiSecret) })),
    configured((env) =>
      agora({ appId: env('AGORA_APP_ID', DEMO.agora.appId), appCertificate: env('AGORA_APP_CERTIFICATE', DEMO.agora.appCertificate) }),
    ),
    configured((env) =>
      twilio({
        accountSid: env('TWILIO_ACCOUNT_SID', DEMO.twilio.accountSid),
        apiKeySid: env('TWILIO_API_KEY_SID', DEMO.twilio.apiKeySid),
        apiKeySecret: env('TWILIO_API_KEY_SECRET', DEMO.twilio.apiKeySecret),
      }),
    ),
    configured((env) =>
      livekit({
        apiKey: env('LIVEKIT_API_KEY', DEMO.livekit.apiKey),
        apiSecret: env('LIVEKIT_API_SECRET', DEMO.livekit.apiSecret),
        ...(process.env.LIVEKIT_URL ? { serverUrl: process.env.LIVEKIT_URL } : {}),
      }),
    ),
    configured((env) => zoom({ sdkKey: env('ZOOM_VIDEO_SDK_KEY', DEMO.zoom.sdkKey), sdkSecret: env('ZOOM_VIDEO_SDK_SECRET', DEMO.zoom.sdkSecret) })),
    configured((env) => daily({ apiKey: env('DAILY_API_KEY', DEMO.daily.apiKey), domainId: env('DAILY_DOMAIN_ID', DEMO.daily.domainId) })),
  ]
}

/**
 * Mints a user token and a call token with the moderator role with one provider. Zoom's and Daily's tokens are
 * always for one call, so their user token names it.
 */
export async function runDemo({ provider, notes }: DemoProvider, now?: () => number): Promise<DemoResult> {
  const service = createTokenService({ provider, ...(now ? { now } : {}) })
  const userToken = await service.createUserToken(provider.limits.userTokenNeedsCall ? { userId: 'alice', callId: 'team-meeting-123' } : { userId: 'alice' })
  const callToken = await service.createCallToken({ userId: 'alice', callId: 'team-meeting-123', role: 'moderator', validityInSeconds: 7200 })
  return {
    provider: provider.id,
    notes,
    userToken,
    callToken,
    verified: { user: await service.verifyToken(userToken.token), call: await service.verifyToken(callToken.token) },
  }
}
