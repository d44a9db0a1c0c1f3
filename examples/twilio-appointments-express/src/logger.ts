import { pino, type DestinationStream, type Logger } from 'pino'
import type { Config } from './config'

/**
 * Paths pino blanks out wherever they appear: the user's bearer JWT, Twilio's signature, minted tokens and every
 * credential name this app uses. Logs are shipped to places with weaker access control than the secrets store.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'res.headers["set-cookie"]',
  'access_token',
  '*.access_token',
  'token',
  '*.token',
  'authToken',
  '*.authToken',
  'apiKeySecret',
  '*.apiKeySecret',
  'sessionJwtSecret',
  '*.sessionJwtSecret',
]

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: 'twilio-appointments' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  )
}
