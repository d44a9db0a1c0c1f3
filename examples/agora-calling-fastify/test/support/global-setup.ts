import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplateDir: string
  }
}

/** An initdb'd, empty PGlite directory that every test copies (copying takes milliseconds, initdb seconds). */
export default async function setup(project: TestProject) {
  const root = await mkdtemp(join(tmpdir(), 'agora-calling-template-'))
  const dir = join(root, 'pgdata')
  const pglite = await PGlite.create(dir)
  await pglite.close()
  project.provide('pgliteTemplateDir', dir)
  return async () => {
    await rm(root, { recursive: true, force: true })
  }
}
