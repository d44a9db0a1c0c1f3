import { stream } from '@calltoken/stream'
import { twilio } from '@calltoken/twilio'
import { zoom } from '@calltoken/zoom'

const STREAM_SECRET = 'webhookcontractstreamsecret0a9k2m7q4w8e3r6t1y5u0i2o9p3a8s7d6f4g1'

/** The adapters the webhook contract signs deliveries for (Express, Fastify and fetch import this file). */
export const webhookProviders = {
  stream: { provider: stream({ apiKey: 'webhookkey', apiSecret: STREAM_SECRET }), apiSecret: STREAM_SECRET },
  twilio: twilio({ accountSid: `AC${'c3'.repeat(16)}`, apiKeySid: `SK${'d4'.repeat(16)}`, apiKeySecret: 'webhookcontracttwiliosecret0a7c3e5b1d0' }),
  zoom: zoom({ sdkKey: 'webhookzoomsdkkey00001', sdkSecret: 'webhookcontractzoomsecret7Lr3Pz8Wc5Yb' }),
}
