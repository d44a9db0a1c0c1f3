import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A freshly initialised, closed PGlite data directory that test databases are copied from. */
    pgliteTemplate: string
  }
}

// A fresh PGlite directory runs initdb (seconds on a busy machine); a copy of one made once per run boots in
// well under a second. The app still opens each copy with PGlite.create(dir), as it opens any directory.
export default async function setup(project: TestProject) {
  if (!process.env.TEST_DATABASE_URL && !process.env.CI) {
    console.warn(
      '\n⚠️  [example-stream-express] TEST_DATABASE_URL is not set: the PostgreSQL variant of the database suites is SKIPPED.\n' +
        '   Run them too with e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run --project example-stream-express\n' +
        '   (each run creates its own schema and drops it afterwards). In CI (CI set) a missing TEST_DATABASE_URL fails those suites.\n',
    )
  }
  const dir = await mkdtemp(join(tmpdir(), 'stream-express-template-'))
  await (await PGlite.create(dir)).close()
  project.provide('pgliteTemplate', dir)
  return () => rm(dir, { recursive: true, force: true })
}
