import { agora } from '@calltoken/agora'
import { daily } from '@calltoken/daily'
import { bearerJwt, CallTokenError, type FetchCallTokenOptions } from '@calltoken/fetch'
import { livekit } from '@calltoken/livekit'
import { stream } from '@calltoken/stream'
import { twilio } from '@calltoken/twilio'
import { zoom } from '@calltoken/zoom'
import type { Env } from './env'

/**
 * The provider that PROVIDER names, with its credentials from the env. Each adapter checks them itself and refuses
 * a missing, placeholder, quoted or truncated value with ERR_CALLTOKEN_INVALID_CONFIG, naming the variable (never
 * the value): so the values are passed on as they are.
 */
const PROVIDERS = {
  stream: (env: Env) => stream({ apiKey: env.STREAM_API_KEY!, apiSecret: env.STREAM_API_SECRET! }),
  agora: (env: Env) => agora({ appId: env.AGORA_APP_ID!, appCertificate: env.AGORA_APP_CERTIFICATE! }),
  twilio: (env: Env) =>
    twilio({ accountSid: env.TWILIO_ACCOUNT_SID!, apiKeySid: env.TWILIO_API_KEY_SID!, apiKeySecret: env.TWILIO_API_KEY_SECRET! }),
  livekit: (env: Env) =>
    livekit({ apiKey: env.LIVEKIT_API_KEY!, apiSecret: env.LIVEKIT_API_SECRET!, ...(read(env.LIVEKIT_URL) ? { serverUrl: read(env.LIVEKIT_URL) } : {}) }),
  zoom: (env: Env) => zoom({ sdkKey: env.ZOOM_VIDEO_SDK_KEY!, sdkSecret: env.ZOOM_VIDEO_SDK_SECRET! }),
  daily: (env: Env) => daily({ apiKey: env.DAILY_API_KEY!, domainId: env.DAILY_DOMAIN_ID! }),
}

export type ProviderName = keyof typeof PROVIDERS
const NAMES = 'stream, agora, twilio, livekit, zoom or daily'

const configError = (message: string) => new CallTokenError('ERR_CALLTOKEN_INVALID_CONFIG', message)

/** A variable's value, trimmed; undefined when it is missing or blank. */
const read = (value: string | undefined) => (value?.trim() ? value.trim() : undefined)

function providerOf(env: Env) {
  const name = read(env.PROVIDER)
  if (name === undefined) throw configError(`PROVIDER is not set: set it to ${NAMES} (vars in wrangler.jsonc)`)
  if (!Object.hasOwn(PROVIDERS, name)) throw configError(`PROVIDER must be ${NAMES}`)
  return PROVIDERS[name as ProviderName](env)
}

/**
 * Who is asking: a session JWT in `Authorization: Bearer …`, its `sub` the user id and its `roles` claim the roles
 * the user may ask for. Verified with your identity provider's JWKS when SESSION_JWKS_URL is set (issuer and
 * audience required), else with SESSION_JWT_SECRET (HS256). Refused tokens are logged with the reason, never the
 * token.
 */
function sessionsOf(env: Env) {
  const jwksUrl = read(env.SESSION_JWKS_URL)
  const secret = read(env.SESSION_JWT_SECRET)
  const issuer = read(env.SESSION_ISSUER)
  const audience = read(env.SESSION_AUDIENCE)
  if (jwksUrl !== undefined && secret !== undefined) throw configError('Set SESSION_JWKS_URL or SESSION_JWT_SECRET, not both')
  if (jwksUrl !== undefined) {
    if (issuer === undefined || audience === undefined) throw configError('SESSION_JWKS_URL needs SESSION_ISSUER and SESSION_AUDIENCE')
    return bearerJwt({ jwksUrl, issuer, audience, logger: console })
  }
  if (secret === undefined) {
    throw configError('No session verification: set SESSION_JWT_SECRET (HS256), or SESSION_JWKS_URL with SESSION_ISSUER and SESSION_AUDIENCE')
  }
  if (secret.length < 32) throw configError('SESSION_JWT_SECRET must be at least 32 characters (HS256 needs 256 bits of key)')
  return bearerJwt({ secret, ...(issuer === undefined ? {} : { issuer }), ...(audience === undefined ? {} : { audience }), logger: console })
}

function rateLimitOf(env: Env) {
  const max = read(env.RATE_LIMIT_MAX)
  if (max === undefined) return undefined // the library's default: 60 a minute
  if (!/^[1-9]\d{0,5}$/.test(max)) throw configError('RATE_LIMIT_MAX must be a whole number from 1 to 999999')
  return { max: Number(max), windowMs: 60_000 }
}

/**
 * The token routes' options from the Worker's env, or ERR_CALLTOKEN_INVALID_CONFIG naming what is wrong. Every
 * option is checked again by createFetchHandler, at creation.
 */
export function tokenOptions(env: Env): FetchCallTokenOptions {
  return {
    prefix: '/api',
    provider: providerOf(env),
    authenticate: sessionsOf(env),
    // Cloudflare sets it to the client's address: requests without a valid session are limited per client.
    clientKey: (request) => request.headers.get('cf-connecting-ip'),
    // In this isolate's memory: a brake against a burst, not a global limit (see README.md, "Rate limits").
    rateLimit: rateLimitOf(env),
    logger: console,
  }
}
