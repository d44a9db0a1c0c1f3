import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { readmeTable, rootReadmeTable } from './cases'

it('README.md shows the matrix exactly as test/cases.ts asserts it (runtimes, versions, status)', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const table = /<!-- matrix -->\n([\s\S]*?)\n<!-- \/matrix -->/.exec(readme)?.[1]
  expect(table, 'README.md has no <!-- matrix --> block').toBeDefined()
  expect(table).toBe(readmeTable())
})

it("the repository's README.md shows the same runtimes and results", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const table = /<!-- runtimes -->\n([\s\S]*?)\n<!-- \/runtimes -->/.exec(readme)?.[1]
  expect(table, 'the root README.md has no <!-- runtimes --> block').toBeDefined()
  expect(table).toBe(rootReadmeTable())
})
