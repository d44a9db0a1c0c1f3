import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { documentationFiles, readText, snippetsOf, type Snippet } from './snippets'

const root = fileURLToPath(new URL('../../', import.meta.url))
const out = fileURLToPath(new URL('../.snippets/', import.meta.url))

// The packages as a user's editor sees them: by name, from their sources (the same types the build emits).
const paths = Object.fromEntries(
  ['core', 'stream', 'agora', 'twilio', 'livekit', 'zoom', 'daily', 'express', 'fastify', 'fetch', 'client', 'test-kit'].flatMap((name) => [
    [`@calltoken/${name}`, [join(root, `packages/${name}/src/index.ts`)]],
    [`@calltoken/${name}/*`, [join(root, `packages/${name}/src/*/index.ts`), join(root, `packages/${name}/src/*.ts`)]],
  ]),
)

describe('every TypeScript block of every README and guide compiles under strict', () => {
  const snippets: Snippet[] = documentationFiles(root).flatMap((file) => snippetsOf(relative(root, file), readText(file)))

  it('finds the blocks', () => {
    expect(snippets.length).toBeGreaterThan(5)
  })

  it('type-checks them all (mark a block that is a fragment with <!-- fragment --> on the line before)', () => {
    rmSync(out, { recursive: true, force: true })
    mkdirSync(out, { recursive: true })
    const files = snippets.map((snippet, i) => {
      const path = join(out, `snippet-${i}.ts`)
      // `export {}` keeps each block a module of its own, so two blocks may declare the same names.
      writeFileSync(path, `${snippet.code}\nexport {}\n`)
      return path
    })
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      module: ts.ModuleKind.Preserve,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      allowImportingTsExtensions: true,
      types: ['node'],
      typeRoots: [join(root, 'node_modules/@types')],
      baseUrl: root,
      paths,
    })
    const problems = ts.getPreEmitDiagnostics(program).flatMap((diagnostic) => {
      const index = diagnostic.file ? files.indexOf(diagnostic.file.fileName) : -1
      if (index < 0) return [] // a problem in a package's own sources is the type-check's, not the docs'
      const snippet = snippets[index]!
      const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
      return [`${snippet.file}:${snippet.line + 1 + line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`]
    })
    expect(problems).toEqual([])
  }, 120_000) // one TypeScript program over every block and the packages' sources
})
