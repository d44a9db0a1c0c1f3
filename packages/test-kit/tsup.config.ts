import { defineConfig } from 'tsup'
import { baseTsupOptions } from '../../tsup.config.base.ts'

// vitest and @calltoken/core are the user's own (peer dependencies), never bundled. The Redis helper probes the
// server once at import (top-level await), so it is ESM only. The two builds run at once: neither cleans dist/ (the
// build script does, before), or one would delete the other's files.
export default defineConfig([
  { ...baseTsupOptions, entry: { index: 'src/index.ts', http: 'src/http.ts' }, clean: false },
  { ...baseTsupOptions, entry: { redis: 'src/redis.ts' }, format: ['esm'], clean: false },
])
