// @ts-check
// TypeDoc plugin for the API reference (docs/api), loaded by typedoc.json after typedoc-plugin-markdown:
// 1. Names each entry point's module as users import it (`@calltoken/core/http`), not by its path (`core/src/http`):
//    the package name from the package's own package.json, the subpath from the file under src/ (`index` dropped).
// 2. Marks every TypeScript block of the generated pages `<!-- fragment -->`: they are signatures and `@example`
//    excerpts, not programs, so docs/test/snippets.test.ts (which compiles every ```ts block under docs/) skips them.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Converter, ReflectionKind } from 'typedoc'
import { MarkdownPageEvent } from 'typedoc-plugin-markdown'

const entryFile = /^(.*\/packages\/[^/]+)\/src\/(.+?)\.ts$/

/**
 * The specifier users import an entry file by: `packages/core/src/http/index.ts` → `@calltoken/core/http`.
 * @param {string} fileName
 */
export function importName(fileName) {
  const match = entryFile.exec(fileName.replaceAll('\\', '/'))
  if (!match) return undefined
  const [, packageDir, file] = /** @type {[string, string, string]} */ (match)
  const { name } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))
  const subpath = file.replace(/(^|\/)index$/, '')
  return subpath ? `${name}/${subpath}` : name
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module) || reflection.parent !== context.project) return
    const fileName = context.getSymbolFromReflection(reflection)?.declarations?.[0]?.getSourceFile().fileName
    const name = fileName && importName(fileName)
    if (name) reflection.name = name
  })

  app.renderer.on(MarkdownPageEvent.END, (page) => {
    page.contents = page.contents?.replace(/^(```(?:ts|typescript)[ \t]*)$/gm, '<!-- fragment -->\n$1')
  })
}
