import type { TokenHttpResponse } from '@calltoken/core/http'
import type { Response } from 'express'

export function send(res: Response, { status, headers, body }: TokenHttpResponse): void {
  res.status(status).set(headers).send(JSON.stringify(body))
}
