import type { CallTokenProvider } from '@calltoken/core'
import { twilio } from '@calltoken/twilio'
import type { Config } from './config'

/**
 * The video provider. Switching to Stream or Agora means changing the line below (and the credentials it reads);
 * the routes only use provider-neutral fields. The README's "Switching providers" section shows the switch.
 */
export function createVideoProvider(config: Config): CallTokenProvider {
  const { accountSid, apiKeySid, apiKeySecret } = config.twilio
  return twilio({ accountSid, apiKeySid, apiKeySecret })
}
