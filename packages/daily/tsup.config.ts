import { defineConfig } from 'tsup'
import { baseTsupOptions } from '../../tsup.config.base.ts'

export default defineConfig(baseTsupOptions)
