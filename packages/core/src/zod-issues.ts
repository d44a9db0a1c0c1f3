import type { core } from 'zod/mini'
import type { CallTokenIssue } from './errors'

/** Zod's issues as calltoken issues: a dotted field path and a message that names the field. */
export function zodIssues(error: core.$ZodError): CallTokenIssue[] {
  return error.issues.flatMap((issue): CallTokenIssue[] => {
    const path = issue.path.map(String).join('.')
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, message: `${key} is not a known field` }))
    }
    if (path === '' && issue.code === 'invalid_type') return [{ path, message: 'the input must be an object' }]
    // Zod's stock messages do not name the field; ours do.
    const named = path === '' || issue.message.startsWith(path)
    return [{ path, message: named ? issue.message : `${path}: ${issue.message}` }]
  })
}
