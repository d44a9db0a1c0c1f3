import { isCallTokenError, type DecodedToken } from '@calltoken/core'
import { detectProvider, readJwt } from './detect'
import { readerFor, type ProviderId } from './providers'

/** What `decode` says about a token: who and what it is for, when, and the mistakes it shows. */
export interface TokenReport {
  readonly provider: ProviderId | 'unknown'
  readonly userId?: string
  readonly callId?: string
  readonly callType?: string
  readonly role?: string
  /** Seconds since the epoch. */
  readonly issuedAt?: number
  readonly expiresAt?: number
  readonly header?: Record<string, unknown>
  readonly claims: Record<string, unknown>
  readonly warnings: string[]
}

/** The limits decode warns about, per provider (seconds). */
const MAX_LIFETIME: Partial<Record<ProviderId, number>> = { agora: 86_400, twilio: 86_400, zoom: 172_800 }
const ZOOM_MIN_LIFETIME = 1800

/** Reads any token; undefined when it is neither a JWT nor an Agora token. */
export function reportOn(token: string, nowSeconds: number): TokenReport | undefined {
  const jwt = readJwt(token)
  const provider = detectProvider(token, jwt)
  if (!provider) return jwt ? { provider: 'unknown', header: jwt.header, claims: jwt.claims, warnings: timeWarnings(jwt.claims.iat, jwt.claims.exp, nowSeconds) } : undefined
  let decoded: DecodedToken | undefined
  let problem: string | undefined
  try {
    decoded = readerFor(provider).decode(token)
  } catch (error) {
    if (!isCallTokenError(error)) throw error
    problem = error.message
  }
  if (!decoded && !jwt) return undefined
  const claims = decoded ? (decoded.claims as Record<string, unknown>) : jwt!.claims
  const issuedAt = decoded?.issuedAt ?? numberOr(jwt?.claims.iat ?? jwt?.claims.nbf)
  const expiresAt = decoded?.expiresAt ?? numberOr(jwt?.claims.exp)
  const warnings = [...(problem ? [problem] : []), ...timeWarnings(issuedAt, expiresAt, nowSeconds), ...providerWarnings(provider, claims, jwt?.header, issuedAt, expiresAt)]
  return {
    provider,
    ...(decoded ? { userId: decoded.userId } : {}),
    ...(decoded?.callId === undefined ? {} : { callId: decoded.callId }),
    ...(decoded?.callType === undefined ? {} : { callType: decoded.callType }),
    ...(decoded?.providerRole === undefined ? {} : { role: decoded.providerRole }),
    ...(issuedAt === undefined ? {} : { issuedAt }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(jwt ? { header: jwt.header } : {}),
    claims,
    warnings,
  }
}

const numberOr = (value: unknown) => (typeof value === 'number' ? value : undefined)

function timeWarnings(issuedAt: unknown, expiresAt: unknown, now: number): string[] {
  const warnings: string[] = []
  if (typeof expiresAt !== 'number') warnings.push('it has no expiry (exp): it is valid forever')
  else if (expiresAt <= now) warnings.push(`it expired ${relative(expiresAt - now)}`)
  if (typeof issuedAt === 'number' && issuedAt > now + 1) warnings.push(`its issue time is ${relative(issuedAt - now)} in the future: a client whose clock is behind refuses it ("token used before iat")`)
  return warnings
}

function providerWarnings(provider: ProviderId, claims: Record<string, unknown>, header: Record<string, unknown> | undefined, issuedAt: number | undefined, expiresAt: number | undefined): string[] {
  const warnings: string[] = []
  const lifetime = issuedAt !== undefined && expiresAt !== undefined ? expiresAt - issuedAt : undefined
  const max = MAX_LIFETIME[provider]
  if (lifetime !== undefined && max !== undefined && lifetime > max) warnings.push(`its lifetime of ${duration(lifetime)} is over ${provider}'s maximum of ${duration(max)}`)
  if (provider === 'zoom' && lifetime !== undefined && lifetime < ZOOM_MIN_LIFETIME) warnings.push(`its lifetime of ${duration(lifetime)} is under Zoom's minimum of 30 min`)
  if (provider === 'twilio' && header?.cty !== 'twilio-fpa;v=1') warnings.push('its header has no cty "twilio-fpa;v=1": Twilio refuses it')
  if (provider === 'daily' && claims.r === undefined) warnings.push('it has no room (r): it opens every room of the domain')
  if (provider === 'agora') warnings.push(...agoraWarnings(claims, expiresAt))
  return warnings
}

function agoraWarnings(content: Record<string, unknown>, expiresAt: number | undefined): string[] {
  const warnings: string[] = []
  const services = Array.isArray(content.services) ? (content.services as Record<string, unknown>[]) : []
  for (const service of services) {
    const privileges = (service.privileges ?? {}) as Record<string, number>
    for (const [name, expire] of Object.entries(privileges)) {
      const at = typeof content.issueTs === 'number' ? content.issueTs + expire : undefined
      if (expire !== 0 && at !== undefined && expiresAt !== undefined && at < expiresAt) warnings.push(`the ${String(service.name)} privilege ${name} ends ${duration(expiresAt - at)} before the token does`)
    }
    if (service.uid === '') warnings.push('its uid is empty (0): any uid may join with it; check that the client joins with the uid you meant')
    else if (typeof service.uid === 'string' && /^\d+$/.test(service.uid)) warnings.push(`its user "${service.uid}" is all digits: as a uid it is user ${service.uid}, as a user account another user; join the way it was minted (joinChannel with the uid, or with the account)`)
  }
  return warnings
}

/** "in 59 min", "3 h ago". */
export function relative(seconds: number): string {
  return seconds >= 0 ? `in ${duration(seconds)}` : `${duration(-seconds)} ago`
}

export function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`
  return `${Math.round(seconds / 86_400)} d`
}
