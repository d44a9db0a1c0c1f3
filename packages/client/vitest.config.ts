import { fileURLToPath } from 'node:url'
import { defineProject } from 'vitest/config'
import { sourceAliases } from '../../vitest.shared.ts'

const src = (file: string) => fileURLToPath(new URL(`./src/${file}.ts`, import.meta.url))

// The shared aliases map @calltoken/client to src/index.ts by prefix, so the subpaths must come first.
export default defineProject({
  resolve: {
    alias: [
      { find: '@calltoken/client/stream', replacement: src('stream') },
      { find: '@calltoken/client/agora', replacement: src('agora') },
      { find: '@calltoken/client/twilio', replacement: src('twilio') },
      { find: '@calltoken/client/livekit', replacement: src('livekit') },
      { find: '@calltoken/client/zoom', replacement: src('zoom') },
      { find: '@calltoken/client/daily', replacement: src('daily') },
      ...sourceAliases,
    ],
  },
  test: { name: 'client', include: ['test/**/*.test.ts'] },
})
