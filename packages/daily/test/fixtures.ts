import { jwtVerify } from 'jose'

// Shaped like a Daily domain's credentials (a 64-hex API key, a UUID domain id); none of them exists.
export const API_KEY = '7c1e5b9a2d4f6083a1b7c9e2f4d6a8b0c3e5f7a9b1d3e5f7092c4e6a8b0d2f41'
export const DOMAIN_ID = '30f866c3-9123-452a-8723-ff58322d09c5'

export const credentials = { apiKey: API_KEY, domainId: DOMAIN_ID } as const

const key = new TextEncoder().encode(API_KEY)

/** Verifies `token` with jose as Daily does a self-signed token (HS256, the API key as the secret) and returns its claims. */
export async function joseRead(token: string, options: { currentDate?: Date } = {}): Promise<Record<string, unknown>> {
  const { payload, protectedHeader } = await jwtVerify(token, key, { algorithms: ['HS256'], ...options })
  if (protectedHeader.typ !== 'JWT') throw new Error('typ must be JWT')
  return payload as Record<string, unknown>
}
