import { defineConfig } from 'tsup'
import { baseTsupOptions } from '../../tsup.config.base.ts'

// Three entries by audience: apps (the mint), adapter authors (provider), and the HTTP handler (which alone may load jose, lazily).
// zod/mini is bundled and tree-shaken into them: only the validators the input schemas use ship, and zod is no dependency.
export default defineConfig({
  ...baseTsupOptions,
  noExternal: ['zod'],
  entry: { index: 'src/index.ts', provider: 'src/provider/index.ts', 'http/index': 'src/http/index.ts' },
})
