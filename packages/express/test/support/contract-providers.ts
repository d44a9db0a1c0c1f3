import { agora } from '@calltoken/agora'
import { daily } from '@calltoken/daily'
import { livekit } from '@calltoken/livekit'
import { stream } from '@calltoken/stream'
import { twilio } from '@calltoken/twilio'
import { zoom } from '@calltoken/zoom'

const STREAM_SECRET = 'contractstreamsecret61f0a9k2m7q4w8e3r6t1y5u0i2o9p3a8s7d6f4g1h2j5k'
const TWILIO_SECRET = 'contracttwiliosecret9a7c3e5b1d0f8a2c4e6b'
const AGORA_CERTIFICATE = '0f1e2d3c4b5a69788796a5b4c3d2e1f0'
const LIVEKIT_SECRET = 'contractlivekitsecret4Qm8Xz1Rt6Yw0Pk4Ns7Jd2Hg5'
const ZOOM_SECRET = 'contractzoomsecret7Lr3Pz8Wc5Yb1Jd6Fs0'
const DAILY_API_KEY = 'c0a7'.repeat(16)

/**
 * Every adapter with test credentials, for the HTTP contract of the bindings (Express here, Fastify imports this file
 * too). It lives with the bindings' tests, not in @calltoken/test-kit: the adapters run test-kit's conformance suite,
 * so test-kit must not depend on them.
 */
export const contractProviders = {
  providers: [
    stream({ apiKey: 'contractkey', apiSecret: STREAM_SECRET }),
    agora({ appId: '00112233445566778899aabbccddeeff', appCertificate: AGORA_CERTIFICATE }),
    twilio({ accountSid: `AC${'a1'.repeat(16)}`, apiKeySid: `SK${'b2'.repeat(16)}`, apiKeySecret: TWILIO_SECRET }),
    livekit({ apiKey: 'APIcontractkey01', apiSecret: LIVEKIT_SECRET }),
    zoom({ sdkKey: 'contractzoomsdkkey0001', sdkSecret: ZOOM_SECRET }),
    daily({ apiKey: DAILY_API_KEY, domainId: '0c0a7000-0000-4000-8000-000000c0a700' }),
  ],
  secrets: [STREAM_SECRET, AGORA_CERTIFICATE, TWILIO_SECRET, LIVEKIT_SECRET, ZOOM_SECRET, DAILY_API_KEY],
  extrasSamples: {
    livekit: { name: 'Ann Example', attributes: { team: 'support' } },
    zoom: { sessionKey: 'ticket-4711', geoRegions: ['US'] },
    daily: { userName: 'Ann Example', ejectAtExpiry: true },
  },
}
