import { stream } from '@calltoken/stream'
import { twilio } from '@calltoken/twilio'

const STREAM_SECRET = 'contract-stream-secret-61f0'
const TWILIO_SECRET = 'contract-twilio-secret-9a7c3e'

/** Every adapter with test credentials, for the HTTP contract. */
export const contractProviders = {
  providers: [
    stream({ apiKey: 'contractkey', apiSecret: STREAM_SECRET }),
    twilio({ accountSid: `AC${'a1'.repeat(16)}`, apiKeySid: `SK${'b2'.repeat(16)}`, apiKeySecret: TWILIO_SECRET }),
  ],
  secrets: [STREAM_SECRET, TWILIO_SECRET],
}
