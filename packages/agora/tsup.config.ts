import { defineConfig } from 'tsup'
import { baseTsupOptions } from '../../tsup.config.base.ts'

// The zlib backends are entries of their own, left as the import "#zlib" that package.json's "imports" map resolves
// by condition: node:zlib on Node and Bun, the plain-JavaScript deflater everywhere else.
export default defineConfig({
  ...baseTsupOptions,
  external: ['#zlib'],
  entry: { index: 'src/index.ts', 'zlib/node': 'src/zlib/node.ts', 'zlib/web': 'src/zlib/web.ts' },
  // Types for what users import; the backends are reached only through "#zlib".
  dts: { entry: { index: 'src/index.ts' } },
})
