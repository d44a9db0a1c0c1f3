import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'

/** An error the client caused or may act on; the message is safe to show. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export const badRequest = (message: string, code = 'INVALID_REQUEST') => new AppError(400, code, message)
export const unauthenticated = (message = 'Authentication required') => new AppError(401, 'UNAUTHENTICATED', message)
export const forbidden = (message: string) => new AppError(403, 'FORBIDDEN', message)
export const notFound = (message: string) => new AppError(404, 'NOT_FOUND', message)
export const conflict = (message: string) => new AppError(409, 'CONFLICT', message)

/** `Validation failed: title is required; maxParticipants must be …` */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const messages = parsed.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
  throw badRequest(`Validation failed: ${messages.join('; ')}`)
}

/** One body shape for every error: `{ success: false, error, code }`. Unexpected errors are logged and hidden. */
export function errorHandler(error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply) {
  const status = (error as { statusCode?: unknown }).statusCode
  if (error instanceof AppError || (typeof status === 'number' && status >= 400 && status < 500)) {
    if (status === 401) reply.header('www-authenticate', 'Bearer')
    const code = (error as { code?: unknown }).code
    return reply.code(status as number).send({ success: false, error: error.message, code: typeof code === 'string' ? code : 'BAD_REQUEST' })
  }
  request.log.error({ err: error }, 'request failed')
  return reply.code(500).send({ success: false, error: 'Internal server error', code: 'INTERNAL' })
}
