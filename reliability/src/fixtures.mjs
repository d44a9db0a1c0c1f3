// Credentials of the binding targets: well-formed and fake. Every one is a secret the logs and answers must not show.
import { agora } from '@calltoken/agora'
import { daily } from '@calltoken/daily'
import { livekit } from '@calltoken/livekit'
import { stream } from '@calltoken/stream'
import { twilio } from '@calltoken/twilio'
import { zoom } from '@calltoken/zoom'

export const SESSION_SECRET = 'fuzz-session-secret-9f2c7a1e5b3d8f6a4c0e2b7d9a1f3c5e'

export const CREDENTIALS = {
  stream: { apiKey: 'fuzzstreamkey', apiSecret: 'fuzz-stream-secret-k3v9q2m8w5r1t7y4u6i0o2p9a8s7d6f5' },
  agora: { appId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', appCertificate: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' },
  twilio: { accountSid: 'AC0123456789abcdef0123456789abcdef', apiKeySid: 'SK0123456789abcdef0123456789abcdef', apiKeySecret: 'fuzzTwilioSecret0123456789abcdefX' },
  livekit: { apiKey: 'APIfuzzkey0001', apiSecret: 'fuzzlivekitsecret8Qm2Xz6Rt1Yw5Pk9Ns3Jd7Hg0Lc4', serverUrl: 'wss://fuzz.livekit.cloud' },
  zoom: { sdkKey: 'fuzzZoomSdkKey01', sdkSecret: 'fuzzZoomSdkSecret7Lr3Pz8Wc5Yb1Jd6Fs0Q' },
  daily: { apiKey: '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0', domainId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', domainName: 'fuzz' },
}

/** Webhook secrets of the providers that sign with one of their own. */
export const WEBHOOK_SECRETS = { agora: 'fuzz-agora-ncs-secret-5b3d8f6a4c0e', twilio: '0dec0de00dec0de00dec0de00dec0de1', zoom: 'fuzzZoomWebhookSecretToken01', daily: 'ZnV6ei1kYWlseS13ZWJob29rLXNlY3JldA==' }

export const providers = () => ({
  stream: stream(CREDENTIALS.stream),
  agora: agora(CREDENTIALS.agora),
  twilio: twilio(CREDENTIALS.twilio),
  livekit: livekit(CREDENTIALS.livekit),
  zoom: zoom(CREDENTIALS.zoom),
  daily: daily(CREDENTIALS.daily),
})

export const SECRETS = [SESSION_SECRET, ...Object.values(CREDENTIALS).flatMap((c) => Object.entries(c).filter(([k]) => /secret|certificate|apiKey$/i.test(k) && k !== 'apiKey').map(([, v]) => v)), CREDENTIALS.daily.apiKey, ...Object.values(WEBHOOK_SECRETS)]
