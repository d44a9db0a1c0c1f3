import { inspect } from 'node:util'

/** Agora's AccessToken2 privilege ids, by service, under the names Agora's docs give them. */
const AGORA_PRIVILEGES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  rtc: { 1: 'joinChannel', 2: 'publishAudio', 3: 'publishVideo', 4: 'publishData' },
  rtm: { 1: 'login' },
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * A token's claims as a person reads them. Agora's privileges (privilege id → seconds after `issueTs`) become one line
 * each service, `joinChannel until 2026-…Z, publishAudio until …`; every other claim, and every other provider's
 * claims, are kept as they are.
 */
export function readableClaims(provider: string, claims: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const { issueTs, services } = claims
  if (provider !== 'agora' || typeof issueTs !== 'number' || !Array.isArray(services)) return claims
  return {
    ...claims,
    services: services.map((service: unknown) =>
      isRecord(service) && isRecord(service.privileges)
        ? { ...service, privileges: privilegeLine(String(service.name), service.privileges, issueTs) }
        : service,
    ),
  }
}

function privilegeLine(service: string, privileges: Readonly<Record<string, unknown>>, issueTs: number): string {
  return Object.entries(privileges)
    .map(([id, seconds]) => {
      const name = AGORA_PRIVILEGES[service]?.[id] ?? `privilege ${id}`
      if (typeof seconds !== 'number' || seconds === 0) return `${name} (${String(seconds)})`
      return `${name} until ${new Date((issueTs + seconds) * 1000).toISOString()}`
    })
    .join(', ')
}

/** The claims printed in full: nested values are shown, never as `[Object]`. */
export function formatClaims(provider: string, claims: Readonly<Record<string, unknown>>): string {
  return inspect(readableClaims(provider, claims), { depth: null, breakLength: 120 })
}

/** Indents every line after the first by two spaces, for a value printed after a two-space label. */
export const indent = (text: string): string => text.replaceAll('\n', '\n  ')
