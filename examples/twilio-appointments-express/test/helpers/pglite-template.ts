import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** An initialised, empty PGlite data directory; tests copy it instead of running initdb (~10 s) each time. */
    pgliteTemplateDir: string
  }
}

let dir: string | undefined

export async function setup(project: TestProject): Promise<void> {
  dir = await mkdtemp(join(tmpdir(), 'twilio-appointments-template-'))
  const client = await PGlite.create(dir)
  await client.close()
  project.provide('pgliteTemplateDir', dir)
}

export async function teardown(): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true })
}
