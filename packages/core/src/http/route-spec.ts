import { configError } from '../errors'
import type { TokenRouteMethod, TokenRouteSpec } from './types'

const METHODS: readonly TokenRouteMethod[] = ['get', 'post', 'put', 'patch', 'delete']
const KEYS = new Set(['name', 'kind', 'method', 'path', 'input', 'respond', 'respondError', 'status'])
const NAME = /^[A-Za-z][\w-]{0,63}$/
// What other routers call these fields, so the error can say what to write instead.
const RENAMED: Readonly<Record<string, string>> = { url: 'path', handler: 'input', type: 'kind' }

/**
 * Checks a custom route spec at start-up, so a typo is an INVALID_CONFIG naming the field, not a route that
 * registers and then answers 404 or 500. Returns the spec unchanged.
 */
export function checkTokenRoute<Req, S extends TokenRouteSpec<Req>>(spec: S): S {
  if (typeof spec !== 'object' || spec === null) throw configError('A token route needs a spec: { name, kind, method, path, input }')
  const problems: string[] = []
  for (const key of Object.keys(spec)) {
    if (!KEYS.has(key)) problems.push(`"${key}" is not a route field${RENAMED[key] ? ` (write "${RENAMED[key]}")` : ''}`)
  }
  const { name, kind, method, path, input, respond, respondError, status } = spec as unknown as Partial<Record<string, unknown>>
  if (typeof name !== 'string' || !NAME.test(name)) problems.push('name must be 1-64 letters, digits, _ or -, starting with a letter')
  if (kind !== 'user' && kind !== 'call') problems.push('kind must be "user" or "call"')
  if (typeof method !== 'string' || !METHODS.includes(method as TokenRouteMethod)) problems.push(`method must be one of ${METHODS.join(', ')} (lower case)`)
  if (typeof path !== 'string' || !path.startsWith('/')) problems.push('path must be a string starting with "/"')
  if (typeof input !== 'function') problems.push('input must be a function returning the mint input')
  if (respond !== undefined && typeof respond !== 'function') problems.push('respond must be a function')
  if (respondError !== undefined && typeof respondError !== 'function') problems.push('respondError must be a function')
  if (status !== undefined && status !== 200 && status !== 201) problems.push('status must be 200 or 201')
  if (problems.length > 0) throw configError(`Invalid token route${typeof name === 'string' ? ` "${name}"` : ''}: ${problems.join('; ')}`)
  return spec
}
