// The portable part of the matrix: plain ESM, no Node API, no environment. Every runtime runs this same code; only
// how @calltoken/* is loaded differs (node_modules for Node, Bun and Deno, a bundle for workerd and edge-runtime),
// so `load` is passed in. Each package is loaded by dynamic import inside a try, so a package that cannot load in a
// runtime (say, `import "crypto"` where there is no crypto module) fails its own providers' entries and no other.
import { CALL_ID, CREDENTIALS, PROVIDERS, ROLE, USER_ID } from './credentials.mjs'
import { WEBHOOK_DELIVERIES, WEBHOOK_NOW_MS } from './webhook-deliveries.mjs'

/**
 * @typedef {{ core: () => Promise<any>, provider: () => Promise<any>, fetch: () => Promise<any>, stream: () => Promise<any>, agora: () => Promise<any>, twilio: () => Promise<any>, livekit: () => Promise<any>, zoom: () => Promise<any>, daily: () => Promise<any> }} Loaders
 * @typedef {{ provider: string, kind: 'user' | 'call', token: string, connect: unknown, issuedAt: number, expiresAt: number, verified: true, decoded: unknown }} Minted
 * @typedef {{ code: string, message: string, cause?: ErrorInfo }} ErrorInfo
 * @typedef {{ provider: string, kind: 'user' | 'call', stage: 'load' | 'create' | 'mint' | 'verify', package?: string, error: ErrorInfo }} Failed
 */

/** Which runtime this is, by the globals each one defines (no Node API: this also runs where there is none). */
export function detectRuntime() {
  const g = /** @type {any} */ (globalThis)
  if (typeof g.Deno?.version?.deno === 'string') return { runtime: 'deno', version: g.Deno.version.deno }
  if (typeof g.Bun?.version === 'string') return { runtime: 'bun', version: g.Bun.version }
  if (typeof g.EdgeRuntime === 'string') return { runtime: 'edge-runtime', version: g.EdgeRuntime }
  if (g.navigator?.userAgent === 'Cloudflare-Workers') return { runtime: 'workerd', version: 'Cloudflare-Workers' }
  if (typeof g.process?.versions?.node === 'string') return { runtime: 'node', version: g.process.version }
  return { runtime: 'unknown', version: String(g.navigator?.userAgent) }
}

/**
 * An error as JSON: its code (a CallTokenError's) or else its name, its message, and its cause the same way.
 * @param {unknown} error
 * @returns {ErrorInfo}
 */
function describeError(error) {
  const e = /** @type {any} */ (error)
  const code = typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : typeof e
  const message = typeof e?.message === 'string' ? e.message : String(e)
  return e?.cause === undefined ? { code, message } : { code, message, cause: describeError(e.cause) }
}

/** @type {('user' | 'call')[]} */
const KINDS = ['user', 'call']

const seconds = (/** @type {Date} */ date) => Math.floor(date.getTime() / 1000)

/**
 * Mints a user token and a call token for every provider with @calltoken/core's createTokenService, and verifies
 * each with service.verifyToken, in this runtime.
 * @param {Loaders} load
 * @returns {Promise<{ runtime: string, version: string, backend: string, fetchBinding: object, webhooks: object[], results: (Minted | Failed)[] }>}
 */
export async function mintAll(load) {
  /** @type {(Minted | Failed)[]} */
  const results = []
  // Core first and once: when it cannot load, that is every provider's error. (In a classic-script bundle a module
  // whose first evaluation threw is not evaluated again, so loading it once per provider would report a second,
  // misleading error.)
  let core
  let coreError
  try {
    core = await load.core()
  } catch (error) {
    coreError = describeError(error)
  }
  for (const provider of /** @type {('stream' | 'agora' | 'twilio' | 'livekit' | 'zoom' | 'daily')[]} */ (PROVIDERS)) {
    const adapterPackage = `@calltoken/${provider}`
    if (coreError) {
      for (const kind of KINDS) results.push({ provider, kind, stage: 'load', package: '@calltoken/core', error: coreError })
      continue
    }
    let adapter
    try {
      adapter = await load[provider]()
    } catch (error) {
      for (const kind of KINDS) results.push({ provider, kind, stage: 'load', package: adapterPackage, error: describeError(error) })
      continue
    }
    let service
    try {
      service = core.createTokenService({ provider: adapter[provider](CREDENTIALS[provider]) })
    } catch (error) {
      for (const kind of KINDS) results.push({ provider, kind, stage: 'create', error: describeError(error) })
      continue
    }
    // Zoom's and Daily's tokens are always for one call: their user token names it (without one it is refused).
    const userInput = service.provider.limits.userTokenNeedsCall ? { userId: USER_ID, callId: CALL_ID } : { userId: USER_ID }
    for (const kind of KINDS) {
      let issued
      try {
        issued =
          kind === 'user'
            ? await service.createUserToken(userInput)
            : await service.createCallToken({ userId: USER_ID, callId: CALL_ID, role: ROLE })
      } catch (error) {
        results.push({ provider, kind, stage: 'mint', error: describeError(error) })
        continue
      }
      try {
        const decoded = await service.verifyToken(issued.token)
        const expected = { provider, userId: USER_ID, expiresAt: seconds(issued.expiresAt), callId: kind === 'call' ? CALL_ID : userInput.callId }
        for (const [field, value] of Object.entries(expected)) {
          if (decoded[field] !== value) throw new Error(`verifyToken: ${field} is ${JSON.stringify(decoded[field])}, expected ${JSON.stringify(value)}`)
        }
        const { claims: _claims, ...neutral } = decoded
        results.push({
          provider,
          kind,
          token: issued.token,
          connect: issued.connect,
          issuedAt: seconds(issued.issuedAt),
          expiresAt: seconds(issued.expiresAt),
          verified: true,
          decoded: neutral,
        })
      } catch (error) {
        results.push({ provider, kind, stage: 'verify', error: describeError(error) })
      }
    }
  }
  return { ...detectRuntime(), backend: await signingBackend(load), fetchBinding: await fetchRoundTrip(load), webhooks: await verifyDeliveries(load), results }
}

/**
 * verifyWebhook in this runtime, for each provider: its signed delivery (the event's type and id, or the error), and
 * the same delivery with one byte of the body changed (the error's code, which must be INVALID_SIGNATURE).
 * @param {Loaders} load
 */
async function verifyDeliveries(load) {
  const out = []
  for (const provider of /** @type {('stream' | 'agora' | 'twilio' | 'livekit' | 'zoom' | 'daily')[]} */ (PROVIDERS)) {
    const { body, headers, url, secret } = /** @type {{ body: string, headers: Record<string, string>, url?: string, secret?: string }} */ (WEBHOOK_DELIVERIES[provider])
    const options = { ...(secret === undefined ? {} : { secret }), now: () => WEBHOOK_NOW_MS }
    try {
      const [core, adapter] = await Promise.all([load.core(), load[provider]()])
      const instance = adapter[provider](CREDENTIALS[provider])
      const request = (/** @type {string} */ text) => ({ rawBody: new TextEncoder().encode(text), headers, ...(url === undefined ? {} : { url }) })
      const event = await core.verifyWebhook(instance, request(body), options)
      const tampered = await core.verifyWebhook(instance, request(body.replace('matrix', 'matriX')), options).then(
        () => 'accepted',
        (/** @type {unknown} */ error) => describeError(error).code,
      )
      out.push({ provider, type: event.type, id: event.id ?? null, tampered })
    } catch (error) {
      out.push({ provider, error: describeError(error) })
    }
  }
  return out
}

/**
 * @calltoken/fetch in this runtime: POST /api/tokens/call through createFetchHandler with a Request built here, the
 * answer read as JSON, its token verified by the same service; and an unknown path's 404.
 * @param {Loaders} load
 * @returns {Promise<{ status: number, notFound: number, cacheControl: string | null, verified: boolean, userId?: string } | { error: ErrorInfo }>}
 */
async function fetchRoundTrip(load) {
  try {
    const [{ createFetchHandler }, core, adapter] = await Promise.all([load.fetch(), load.core(), load.stream()])
    const provider = adapter.stream(CREDENTIALS.stream)
    const handler = createFetchHandler({ provider, prefix: '/api', allowAnonymous: { roles: [ROLE] }, clientKey: () => 'matrix' })
    const body = JSON.stringify({ userId: USER_ID, callId: CALL_ID, role: ROLE })
    const response = await handler(new Request('http://localhost/api/tokens/call', { method: 'POST', headers: { 'content-type': 'application/json' }, body }))
    const answer = await response.json()
    const decoded = await core.createTokenService({ provider }).verifyToken(answer.data.token)
    const notFound = (await handler(new Request('http://localhost/api/nothing'))).status
    return { status: response.status, notFound, cacheControl: response.headers.get('cache-control'), verified: decoded.callId === CALL_ID, userId: decoded.userId }
  } catch (error) {
    return { error: describeError(error) }
  }
}

/**
 * Which crypto backend package.json's "imports" gave core here: node:crypto signs synchronously, Web Crypto returns a
 * promise. (A load failure is reported by the results already.)
 * @param {Loaders} load
 */
async function signingBackend(load) {
  try {
    const { createHs256Jwt } = await load.provider()
    const signed = createHs256Jwt('a key only to see how this runtime signs', { typ: 'JWT' }).sign({})
    return signed instanceof Promise ? 'web-crypto' : 'node:crypto'
  } catch (error) {
    return `unknown (${describeError(error).message})`
  }
}
