import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

// Every ```ts block of this package's README, fragments included, type-checked under strict against the sources and
// the real SDK types (installed here as dev dependencies), as virtual files in this folder.

const dir = fileURLToPath(new URL('.', import.meta.url))
const src = fileURLToPath(new URL('../src/', import.meta.url))
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

function blocks(): { line: number; code: string }[] {
  const lines = readme.split('\n')
  const found: { line: number; code: string }[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ts\s*$/.test(lines[i]!)) continue
    const start = i + 1
    const body: string[] = []
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!)
    found.push({ line: start, code: body.join('\n') })
  }
  return found
}

/** What the SDK examples lean on: the app's own session headers. */
const PRELUDE = 'declare const headers: () => Record<string, string>\n'

describe('README', () => {
  it('every TypeScript block compiles against the sources and the real SDK types', () => {
    const snippets = blocks()
    expect(snippets.length).toBeGreaterThanOrEqual(5)
    const files = new Map(snippets.map((s, i) => [`${dir}__readme_${i}.ts`, `${PRELUDE}${s.code}\nexport {}\n`]))
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      module: ts.ModuleKind.Preserve,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      allowImportingTsExtensions: true,
      types: [],
      paths: { '@calltoken/client': [`${src}index.ts`], '@calltoken/client/*': [`${src}*.ts`] },
    }
    const host = ts.createCompilerHost(options)
    const { getSourceFile, fileExists, readFile } = host
    host.fileExists = (name) => files.has(name) || fileExists(name)
    host.readFile = (name) => files.get(name) ?? readFile(name)
    host.getSourceFile = (name, version, ...rest) =>
      files.has(name) ? ts.createSourceFile(name, files.get(name)!, version) : getSourceFile(name, version, ...rest)
    const program = ts.createProgram([...files.keys()], options, host)
    const names = [...files.keys()]
    const problems = ts.getPreEmitDiagnostics(program).flatMap((d) => {
      const index = d.file ? names.indexOf(d.file.fileName) : -1
      if (index < 0) return []
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0)
      return [`README.md:${snippets[index]!.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`]
    })
    expect(problems).toEqual([])
  }, 60_000)
})
