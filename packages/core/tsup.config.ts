import { defineConfig } from 'tsup'
import { baseTsupOptions } from '../../tsup.config.base.ts'

// Two entries: the mint path, and the HTTP handler (which alone may load jose, lazily).
export default defineConfig({ ...baseTsupOptions, entry: { index: 'src/index.ts', 'http/index': 'src/http/index.ts' } })
