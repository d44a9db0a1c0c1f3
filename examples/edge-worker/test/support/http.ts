import { randomBytes } from 'node:crypto'
import { RECHECK } from '../../../../runtimes/test/recheck'
import type { ProviderName } from '../../src/config'
import { devVarsExample } from './workerd'

export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** The JSON body as the Worker sent it (undefined when it is not JSON). */
  readonly body: any
}

export interface PostOptions {
  /** The session JWT, sent as `Authorization: Bearer …`. */
  readonly token?: string
  readonly body?: unknown
  /** `cf-connecting-ip`, which Cloudflare sets to the client's address. */
  readonly ip?: string
}

/** The JSON of an answer, or undefined for another body (workerd's own error page), which `text` then shows. */
function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text()
  return { status: response.status, headers: response.headers, text, body: jsonOf(text) }
}

export async function post(url: string, { token, body, ip }: PostOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = {}
  if (token !== undefined) headers.authorization = `Bearer ${token}`
  if (ip !== undefined) headers['cf-connecting-ip'] = ip
  if (body !== undefined) headers['content-type'] = 'application/json'
  return answerOf(await fetch(url, { method: 'POST', headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }))
}

export const get = async (url: string): Promise<Answer> => answerOf(await fetch(url))

/** A fresh random session secret per run, as the README has you make one. */
export const sessionSecret = () => randomBytes(32).toString('hex')

/** The env of a Worker with PROVIDER=`provider` (none when undefined): .dev.vars.example's values, with `overrides` (undefined removes a variable). */
export function workerEnv(provider: string | undefined, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = { ...devVarsExample(), PROVIDER: provider, ...overrides }
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined))
}

// What `connect` spreads into `data` for each provider (the rest of `data` is the routes' own envelope).
const CONNECT_KEYS: Record<ProviderName, readonly string[]> = {
  stream: ['apiKey', 'userId', 'callCid'],
  agora: ['service', 'appId', 'channelName', 'account', 'uid'],
  twilio: ['identity', 'roomName'],
  livekit: ['identity', 'serverUrl', 'roomName'],
  zoom: ['sessionName', 'userKey'],
  daily: ['roomName', 'userId', 'roomUrl'],
}

/**
 * A token answer (`data` of a 200) re-checked in Node by the official tools, as the runtime matrix re-checks its
 * tokens (runtimes/test/recheck.ts): jose's jwtVerify with the secret for Stream, Twilio and Daily, agora-token's
 * AccessToken2 parser and verifySignature for Agora, livekit-server-sdk's TokenVerifier, jsrsasign for Zoom, and each
 * official SDK or sample minting the same token.
 */
export async function recheck(provider: ProviderName, kind: 'user' | 'call', data: Record<string, unknown>): Promise<void> {
  const keys = provider === 'agora' && data.service === 'rtm' ? ['service', 'appId', 'userId'] : CONNECT_KEYS[provider]
  const connect = Object.fromEntries(keys.filter((key) => key in data).map((key) => [key, data[key]]))
  await RECHECK[provider]!({ kind, token: String(data.token), expiresAt: Date.parse(String(data.expiresAt)) / 1000, connect })
}
