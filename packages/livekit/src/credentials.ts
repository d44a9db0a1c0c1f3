import { configError, readAdapterOptions, readCredential, readRoleMap } from '@calltoken/core/provider'
import { LIVEKIT_ROLES, type LiveKitRole } from './grants'

export interface LiveKitSettings {
  readonly apiKey: string
  readonly apiSecret: string
  readonly serverUrl?: string
  readonly roleMap: ReadonlyMap<string, LiveKitRole>
}

const OPTIONS = { provider: 'livekit', known: ['apiKey', 'apiSecret', 'serverUrl', 'roleMap'], required: ['apiKey', 'apiSecret'] } as const

/**
 * LiveKit's server refuses to start with a secret shorter than 32 characters; LiveKit Cloud issues ~43-character
 * secrets. Keys are not checked further: LiveKit Cloud's start with "API", a self-hosted server's are any name.
 */
const MIN_SECRET_LENGTH = 32
const SOURCE = 'LiveKit Cloud (Settings → API keys) or your server\'s keys'

/** The factory options, checked once; messages name the option and never contain its value. */
export function readSettings(options: unknown): LiveKitSettings {
  const record = readAdapterOptions(options, OPTIONS)
  const apiKey = readCredential(record.apiKey, { provider: 'livekit', name: 'apiKey', envName: 'LIVEKIT_API_KEY', source: SOURCE })
  if (typeof record.apiSecret === 'string' && record.apiSecret.trim() === apiKey) {
    throw configError('livekit: apiKey and apiSecret are the same value; one of them is wrong')
  }
  const apiSecret = readCredential(record.apiSecret, {
    provider: 'livekit',
    name: 'apiSecret',
    envName: 'LIVEKIT_API_SECRET',
    source: SOURCE,
    minLength: MIN_SECRET_LENGTH,
  })
  const serverUrl = record.serverUrl === undefined ? undefined : readServerUrl(record.serverUrl)
  const roleMap = readRoleMap('livekit', record.roleMap, LIVEKIT_ROLES)
  return serverUrl === undefined ? { apiKey, apiSecret, roleMap } : { apiKey, apiSecret, serverUrl, roleMap }
}

/** The URL clients connect to (`wss://…livekit.cloud`), handed back in `connect.serverUrl`. */
function readServerUrl(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : ''
  let url: URL | undefined
  try {
    url = new URL(text)
  } catch {
    url = undefined
  }
  if (url === undefined || !['wss:', 'ws:', 'https:', 'http:'].includes(url.protocol)) {
    throw configError('livekit: serverUrl must be the URL clients connect to, e.g. wss://my-project.livekit.cloud (usually from LIVEKIT_URL)')
  }
  if (url.username !== '' || url.password !== '') throw configError('livekit: serverUrl must not contain a user name or password')
  return text
}
