import { calltokenProject } from '../vitest.shared.ts'

// The built packages, resolved as a user resolves them: none of the shared source aliases. (The tests themselves
// import no @calltoken/* package: each runtime runs src/*.mjs as a child process.)
const project = calltokenProject('runtimes', {
  globalSetup: ['./test/global-setup.ts'],
  testTimeout: 180_000,
  hookTimeout: 600_000,
})

export default { ...project, resolve: { ...project.resolve, alias: [] } }
