import { defineConfig } from 'tsup'
import { baseTsupOptions } from '../../tsup.config.base.ts'

// Three entries by audience: apps (the mint), adapter authors (provider), and the HTTP handler (which alone may load jose, lazily).
// The two crypto backends are entries of their own, left as the import "#crypto" that package.json's "imports" map
// resolves by condition: node:crypto on Node and Bun, Web Crypto everywhere else.
const publicEntries = { index: 'src/index.ts', provider: 'src/provider/index.ts', 'http/index': 'src/http/index.ts' }

export default defineConfig({
  ...baseTsupOptions,
  external: ['#crypto'],
  entry: { ...publicEntries, 'crypto/node': 'src/crypto/node.ts', 'crypto/web': 'src/crypto/web.ts' },
  // Types for what users import; the backends are reached only through "#crypto".
  dts: { entry: publicEntries },
})
