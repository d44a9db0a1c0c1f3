import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pino, type DestinationStream, type Logger } from 'pino'
import { pinoHttp, type HttpLogger } from 'pino-http'
import type { Config } from './config'

export type { Logger }

/**
 * Credentials never reach a log line: the Authorization header (a bearer JWT), cookies, and any field named
 * like a token or secret wherever a log call puts it.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...['token', 'accessToken', 'jwt', 'secret', 'apiSecret', 'jwtSecret', 'password', 'authorization'].flatMap((key) => [key, `*.${key}`]),
]

export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
  const options = { level, base: { app: 'stream-express' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }
  return destination ? pino(options, destination) : pino(options)
}

// A caller's request id is kept (so a trace crosses services) when it is a plain short token; else a new one.
const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/

/** Per-request logging with a request id, echoed in the X-Request-Id response header. */
export function httpLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const incoming = req.headers['x-request-id']
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID()
      res.setHeader('x-request-id', id)
      return id
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  })
}
