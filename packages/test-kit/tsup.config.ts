import { defineConfig } from 'tsup'
import { baseTsupOptions } from '../../tsup.config.base.ts'

// vitest and @calltoken/core are the user's own (peer dependencies), never bundled. ESM only: vitest refuses to be
// require()d, so a CommonJS build of the suite could never load (Node 20.19+ require()s this ESM build instead). The
// Redis helper probes the server once at import (top-level await), so it can only be imported.
export default defineConfig({
  ...baseTsupOptions,
  entry: { index: 'src/index.ts', http: 'src/http.ts', redis: 'src/redis.ts', chromium: 'src/chromium.ts' },
  format: ['esm'],
})
