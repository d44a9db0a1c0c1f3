import { defineConfig } from 'tsup'
import { baseTsupOptions } from '../../tsup.config.base.ts'

// One entry per SDK glue, so an app bundles only what it imports; browser-era syntax, no Node built-ins.
export default defineConfig({
  ...baseTsupOptions,
  entry: { index: 'src/index.ts', stream: 'src/stream.ts', agora: 'src/agora.ts', twilio: 'src/twilio.ts', livekit: 'src/livekit.ts', zoom: 'src/zoom.ts', daily: 'src/daily.ts' },
  target: 'es2020',
  platform: 'neutral',
})
