import { defineConfig } from 'tsup'
import { baseTsupOptions } from '../../tsup.config.base.ts'

// vitest and @calltoken/core are the user's own (peer dependencies), never bundled. The Redis helper probes the
// server once at import (top-level await), so it is ESM only.
export default defineConfig([
  { ...baseTsupOptions, entry: { index: 'src/index.ts', http: 'src/http.ts' } },
  { ...baseTsupOptions, entry: { redis: 'src/redis.ts' }, format: ['esm'], clean: false },
])
