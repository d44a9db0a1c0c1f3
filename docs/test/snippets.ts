import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

/** One ```ts block of a Markdown file, with where it starts. */
export interface Snippet {
  readonly file: string
  /** 1-based line of the opening fence. */
  readonly line: number
  readonly code: string
}

// A block the line before marks as a fragment (a line of a larger program) is not compiled on its own.
const FRAGMENT = '<!-- fragment -->'

/** Every ```ts / ```typescript block of a Markdown text, except those marked as fragments. */
export function snippetsOf(file: string, text: string): Snippet[] {
  const lines = text.split('\n')
  const snippets: Snippet[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue
    const start = i
    const body: string[] = []
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!)
    let previous = start - 1
    while (previous >= 0 && lines[previous]!.trim() === '') previous--
    if (lines[previous]?.trim() !== FRAGMENT) snippets.push({ file, line: start + 1, code: body.join('\n') })
  }
  return snippets
}

/** The Markdown files users read: every README outside node_modules, and docs/ (but not the generated docs/api). */
export function documentationFiles(root: string): string[] {
  const found: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue
      const path = join(dir, name)
      // The API reference is generated from the TSDoc, whose examples the type-check already covers.
      if (relative(root, path) === join('docs', 'api')) continue
      if (statSync(path).isDirectory()) walk(path)
      else if (name === 'README.md' || (relative(root, path).startsWith('docs/') && name.endsWith('.md'))) found.push(path)
    }
  }
  walk(root)
  return found.sort()
}

export const readText = (path: string) => readFileSync(path, 'utf8')
