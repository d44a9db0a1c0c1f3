import { defineConfig } from 'tsup'
import { baseTsupOptions } from '../../tsup.config.base.ts'

// One executable ESM file; the adapters stay dependencies (not bundled), as a user's install has them.
export default defineConfig({ ...baseTsupOptions, entry: ['src/main.ts'], format: ['esm'], dts: false, banner: { js: '#!/usr/bin/env node' } })
