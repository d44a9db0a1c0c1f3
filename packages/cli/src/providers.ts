import { agora } from '@calltoken/agora'
import type { CallTokenProvider } from '@calltoken/core'
import { daily } from '@calltoken/daily'
import { livekit } from '@calltoken/livekit'
import { stream } from '@calltoken/stream'
import { twilio } from '@calltoken/twilio'
import { zoom } from '@calltoken/zoom'
import { UsageError } from './args'

export const PROVIDER_IDS = ['stream', 'agora', 'twilio', 'livekit', 'zoom', 'daily'] as const
export type ProviderId = (typeof PROVIDER_IDS)[number]

/** Each adapter's options and the environment variable each comes from (the names the READMEs document). */
const ENV: Record<ProviderId, Record<string, string>> = {
  stream: { apiKey: 'STREAM_API_KEY', apiSecret: 'STREAM_API_SECRET' },
  agora: { appId: 'AGORA_APP_ID', appCertificate: 'AGORA_APP_CERTIFICATE' },
  twilio: { accountSid: 'TWILIO_ACCOUNT_SID', apiKeySid: 'TWILIO_API_KEY_SID', apiKeySecret: 'TWILIO_API_KEY_SECRET' },
  livekit: { apiKey: 'LIVEKIT_API_KEY', apiSecret: 'LIVEKIT_API_SECRET' },
  zoom: { sdkKey: 'ZOOM_VIDEO_SDK_KEY', sdkSecret: 'ZOOM_VIDEO_SDK_SECRET' },
  daily: { apiKey: 'DAILY_API_KEY', domainId: 'DAILY_DOMAIN_ID' },
}

const FACTORIES: Record<ProviderId, (options: Record<string, string>) => CallTokenProvider> = {
  stream: (o) => stream(o as never),
  agora: (o) => agora(o as never),
  twilio: (o) => twilio(o as never),
  livekit: (o) => livekit(o as never),
  zoom: (o) => zoom(o as never),
  daily: (o) => daily(o as never),
}

/**
 * Credentials of the documented shapes that open no account: `decode` reads a token without any key, but an adapter
 * instance needs well-formed options.
 */
const READ_ONLY: Record<ProviderId, Record<string, string>> = {
  stream: { apiKey: 'decode-only', apiSecret: 'decode-only-d8f2k4m6p9r1t3v5x7z0b2c4e6g8i0k2' },
  agora: { appId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', appCertificate: '1e2d3c4b5a69788796a5b4c3d2e1f0a9' },
  twilio: { accountSid: `AC${'0d'.repeat(16)}`, apiKeySid: `SK${'0e'.repeat(16)}`, apiKeySecret: 'decode-only-secret-7c3e5b1d0f8a2c4e6b' },
  livekit: { apiKey: 'APIdecodeonly01', apiSecret: 'decode-only-livekit-secret-4Qm8Xz1Rt6Yw0Pk' },
  zoom: { sdkKey: 'decodeonlyzoomsdkkey00', sdkSecret: 'decode-only-zoom-secret-7Lr3Pz8Wc5Yb' },
  daily: { apiKey: 'd0'.repeat(32), domainId: 'd0d0d0d0-0000-4000-8000-0000000d0d0d' },
}

export function isProviderId(value: string | undefined): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value ?? '')
}

/** An adapter that can read tokens but never sign or verify for a real account. */
export function readerFor(id: ProviderId): CallTokenProvider {
  return FACTORIES[id](READ_ONLY[id])
}

/** The adapter with the credentials from flags (`--api-secret` for apiSecret…) or else the environment. */
export function providerFor(id: ProviderId, flags: ReadonlyMap<string, string[]>, env: NodeJS.ProcessEnv): CallTokenProvider {
  const options: Record<string, string> = {}
  const missing: string[] = []
  for (const [option, variable] of Object.entries(ENV[id])) {
    const value = flags.get(kebab(option))?.at(-1) ?? env[variable]
    if (value === undefined || value === '') missing.push(`${variable} (or --${kebab(option)})`)
    else options[option] = value
  }
  if (missing.length > 0) throw new UsageError(`${id} needs ${missing.join(', ')}`)
  return FACTORIES[id](options)
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
