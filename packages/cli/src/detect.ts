import type { ProviderId } from './providers'

/** A compact JWT's header and claims, or undefined when the text is not one. */
export interface RawJwt {
  readonly header: Record<string, unknown>
  readonly claims: Record<string, unknown>
}

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

export function readJwt(token: string): RawJwt | undefined {
  if (!JWT.test(token)) return undefined
  const [header, claims] = token.split('.').slice(0, 2).map((part) => {
    try {
      const value: unknown = JSON.parse(Buffer.from(part!, 'base64url').toString('utf8'))
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
    } catch {
      return undefined
    }
  })
  return header && claims ? { header, claims } : undefined
}

/** The provider whose token this is, by its shape: Agora's "007" prefix, else the claims each provider writes. */
export function detectProvider(token: string, jwt: RawJwt | undefined): ProviderId | undefined {
  if (token.startsWith('007')) return 'agora'
  if (!jwt) return undefined
  const { header, claims } = jwt
  if (typeof claims.grants === 'object' || String(header.cty ?? '').startsWith('twilio-fpa')) return 'twilio'
  if (typeof claims.app_key === 'string' && 'tpc' in claims) return 'zoom'
  if (typeof claims.video === 'object' || (typeof claims.iss === 'string' && claims.iss.startsWith('API') && 'sub' in claims)) return 'livekit'
  if (typeof claims.d === 'string' && ('r' in claims || 'ud' in claims)) return 'daily'
  if (typeof claims.user_id === 'string') return 'stream'
  return undefined
}
