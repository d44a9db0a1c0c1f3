import { defineConfig } from 'tsup'
import { baseTsupOptions } from '../../tsup.config.base.ts'

// Three entries by audience: apps (the mint), adapter authors (provider), and the HTTP handler (which alone may load jose, lazily).
export default defineConfig({
  ...baseTsupOptions,
  entry: { index: 'src/index.ts', provider: 'src/provider/index.ts', 'http/index': 'src/http/index.ts' },
})
