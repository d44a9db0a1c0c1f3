import { calltokenProject } from '../../vitest.shared.ts'

export default calltokenProject('example-agora-calling-fastify', {
  // One PGlite initdb per run (it takes seconds); each test copies that directory.
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
})
