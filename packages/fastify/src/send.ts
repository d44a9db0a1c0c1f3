import type { TokenHttpResponse } from '@calltoken/core/http'
import type { FastifyReply } from 'fastify'

export function send(reply: FastifyReply, { status, headers, body }: TokenHttpResponse): FastifyReply {
  return reply.code(status).headers(headers).send(JSON.stringify(body))
}
