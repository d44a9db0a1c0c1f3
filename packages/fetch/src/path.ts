import { configError } from '@calltoken/core/provider'

/** A route's path params by name, decoded: `/appointments/:id/token` on `/appointments/42/token` → `{ id: '42' }`. */
export type RouteParams = Readonly<Record<string, string>>

/** The params of a path that matches, undefined for one that does not. */
export type PathMatcher = (path: string) => RouteParams | undefined

const PARAM = /^:([A-Za-z_$][\w$]*)$/
// Characters other routers give a meaning (wildcards, optional parts, groups, regular expressions).
const SYNTAX = /[:*?+(){}[\]\\]/

/**
 * A matcher for a route's path of literal segments and `:name` params, compared segment by segment, exactly
 * (case and trailing slash included). A param matches one non-empty segment, percent-decoded; a segment that is not
 * valid percent-encoding matches nothing. Any other syntax is refused at creation rather than matched literally.
 */
export function pathMatcher(routeName: string, path: string): PathMatcher {
  const segments = path.split('/').slice(1)
  const names: string[] = []
  const parts = segments.map((segment) => {
    const param = PARAM.exec(segment)
    if (param) {
      if (names.includes(param[1]!)) throw configError(`Invalid token route "${routeName}": path "${path}" names :${param[1]} twice`)
      names.push(param[1]!)
      return { param: param[1]! }
    }
    if (SYNTAX.test(segment)) {
      throw configError(`Invalid token route "${routeName}": path "${path}" has "${segment}"; @calltoken/fetch matches literal segments and :params only`)
    }
    return { literal: segment }
  })
  return (candidate) => {
    const given = candidate.split('/').slice(1)
    if (given.length !== parts.length) return undefined
    const params: Record<string, string> = {}
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!
      const segment = given[i]!
      if ('literal' in part) {
        if (segment !== part.literal) return undefined
        continue
      }
      if (segment === '') return undefined
      try {
        params[part.param] = decodeURIComponent(segment)
      } catch {
        return undefined // malformed percent-encoding
      }
    }
    return Object.freeze(params)
  }
}
