import { calltokenProject } from '../../vitest.shared.ts'

export default calltokenProject('example-twilio-appointments-express', {
  // One PGlite initdb for the whole run; each test database is a copy of it (see test/helpers/pglite-template.ts).
  globalSetup: ['test/helpers/pglite-template.ts'],
  // Real servers, real databases: PGlite opens in about a second, PostgreSQL schemas take a few queries.
  hookTimeout: 60_000,
  testTimeout: 30_000,
})
