// A Cloudflare Worker that serves video-call tokens: POST /api/tokens/user, /api/tokens/call and /api/tokens/refresh
// (@calltoken/fetch), and GET /health. The provider, its credentials and how sessions are verified all come from the
// Worker's env (src/config.ts). It runs without nodejs_compat: nothing here or in calltoken uses a Node API.
import { createFetchHandler, isCallTokenError, type CallTokenError, type FetchHandler } from '@calltoken/fetch'
import { tokenOptions } from './config'
import type { Env, ExecutionContext } from './env'

type Service = { readonly handler: FetchHandler; readonly provider: string } | { readonly error: CallTokenError }

const NO_STORE = { 'cache-control': 'no-store' }

// Built on the first request an isolate serves and kept for every later one: the env object is the same for all
// of them. The handler holds what is worth keeping (the imported signing key, the JWKS, the rate-limit counts). A
// configuration error is kept too: only a new deployment, with a new env, can change it.
const services = new WeakMap<Env, Service>()

function serviceFor(env: Env): Service {
  let service = services.get(env)
  if (service === undefined) {
    try {
      const options = tokenOptions(env)
      service = { handler: createFetchHandler(options), provider: options.provider.id }
      console.log(`calltoken: token routes ready for ${service.provider}`)
    } catch (error) {
      if (!isCallTokenError(error)) throw error
      // The message names the variable, never its value.
      console.error(`calltoken: ${error.code}: ${error.message}`)
      service = { error }
    }
    services.set(env, service)
  }
  return service
}

/** The library's error envelope: `{ success: false, error, code }` with the status of the code (500 here). */
const errorResponse = (error: CallTokenError) =>
  Response.json({ success: false, error: error.message, code: error.code }, { status: error.status, headers: NO_STORE })

export default {
  async fetch(request: Request, env: Env, _ctx: ExecutionContext): Promise<Response> {
    const service = serviceFor(env)
    if ('error' in service) return errorResponse(service.error)
    const { pathname } = new URL(request.url)
    if (pathname === '/health' && request.method === 'GET') return Response.json({ status: 'ok', provider: service.provider }, { headers: NO_STORE })
    // Every other request: the token routes, or their 404 in the same envelope. Only an error of your own code
    // (none in this template) rejects; the answer then says nothing about it.
    return service.handler(request).catch((error: unknown) => {
      console.error('calltoken: unexpected error', error)
      return Response.json({ success: false, error: 'Internal error' }, { status: 500, headers: NO_STORE })
    })
  },
}
