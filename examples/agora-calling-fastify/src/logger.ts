import pino, { type DestinationStream, type Logger } from 'pino'

export interface LoggerOptions {
  level: string
  /** Where lines go; stdout by default (tests pass a capturing stream). */
  destination?: DestinationStream
  /** Masks the internal user id in a logged URL (DELETE …/participants/:userId). */
  maskUrl?: (url: string) => string
}

// Anything that could carry a credential. Requests are logged without headers at all (see `req` below);
// these paths catch a token or secret that a log call passes by mistake.
const REDACT = [
  'authorization',
  '*.authorization',
  'req.headers',
  'headers',
  'token',
  '*.token',
  'jwt',
  'secret',
  '*.secret',
  'appCertificate',
  '*.appCertificate',
  'password',
]

/** Drizzle puts the query parameters (ids, titles) into its error message; logs keep the query, not the values. */
function scrub(text: string | undefined): string | undefined {
  return text?.replace(/\nparams: [^\n]*/g, '\nparams: [redacted]')
}

interface LoggableError extends Error {
  code?: unknown
  statusCode?: unknown
}

function serializeError(error: LoggableError): Record<string, unknown> {
  const cause = error.cause as LoggableError | undefined
  return {
    type: error.name,
    message: scrub(error.message),
    ...(error.code === undefined ? {} : { code: error.code }),
    ...(error.statusCode === undefined ? {} : { statusCode: error.statusCode }),
    stack: scrub(error.stack),
    // Only the cause's type, code and message: a pg error's `detail` quotes row values.
    ...(cause instanceof Error ? { cause: { type: cause.name, message: scrub(cause.message), ...(cause.code === undefined ? {} : { code: cause.code }) } } : {}),
  }
}

export function createLogger(options: LoggerOptions): Logger {
  const maskUrl = options.maskUrl ?? ((url: string) => url)
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: {
        // Method and path only: no headers (Authorization), no client IP, internal ids masked.
        req: (req: { method?: string; url?: string }) => ({ method: req.method, url: maskUrl(req.url ?? '') }),
        res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
        err: serializeError,
      },
    },
    options.destination ?? pino.destination(1),
  )
}
