import { calltokenProject } from '../../vitest.shared.ts'

// Each suite starts real servers on real databases (PGlite; PostgreSQL too when TEST_DATABASE_URL is set).
export default calltokenProject('example-stream-express', {
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
})
