// @ts-check
// TypeDoc plugin for the API reference (docs/api), loaded by typedoc.json after typedoc-plugin-markdown: names each
// entry point's module as users import it (`@calltoken/core/http`), not by its path (`core/src/http`): the package
// name from the package's own package.json, the subpath from the file under src/ (`index` dropped).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Converter, ReflectionKind } from 'typedoc'

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
}
