import type { Options } from 'tsup'

// Shared build settings: dual ESM + CJS with types, one bundle per entry, Node 20 target.
export const baseTsupOptions: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  // Maps without the sources' text: they point at src/, which is not published, and the text tripled the install.
  esbuildOptions(options) {
    options.sourcesContent = false
  },
  clean: true,
  target: 'node20',
  // Keep `node:crypto` as written: the documented spelling everywhere, and the only one workerd's v1 nodejs_compat resolves.
  removeNodeProtocol: false,
  tsconfig: 'tsconfig.json',
}
