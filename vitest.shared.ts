import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineProject, type UserWorkspaceConfig } from 'vitest/config'

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url))

// Tests import every @calltoken/* package from its sources, so `pnpm test` never needs a build.
// Subpaths (e.g. @calltoken/core/http) come first: aliases match by prefix.
// "#crypto" and "#zlib" (package.json "imports") resolve to the Node backends, as on Node; the Web backends have tests of their own.
export const sourceAliases = [
  { find: /^#crypto$/, replacement: `${packagesDir}core/src/crypto/node.ts` },
  { find: /^#zlib$/, replacement: `${packagesDir}agora/src/zlib/node.ts` },
  { find: '@calltoken/core/http', replacement: `${packagesDir}core/src/http/index.ts` },
  { find: '@calltoken/core/provider', replacement: `${packagesDir}core/src/provider/index.ts` },
  { find: '@calltoken/test-kit/redis', replacement: `${packagesDir}test-kit/src/redis.ts` },
  { find: '@calltoken/test-kit/chromium', replacement: `${packagesDir}test-kit/src/chromium.ts` },
  { find: '@calltoken/test-kit/http', replacement: `${packagesDir}test-kit/src/http.ts` },
  ...readdirSync(packagesDir).map((dir) => ({ find: `@calltoken/${dir}`, replacement: `${packagesDir}${dir}/src/index.ts` })),
]

export function calltokenProject(name: string, test: UserWorkspaceConfig['test'] = {}) {
  return defineProject({
    resolve: { alias: sourceAliases },
    test: { name, include: ['test/**/*.test.ts'], ...test },
  })
}
