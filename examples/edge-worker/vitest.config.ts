import { calltokenProject } from '../../vitest.shared.ts'

// The Worker runs bundled from the built packages (dist), in workerd through miniflare on the registry's Node 22.
// The global setup builds the dist when it is missing or older than its sources (CI builds it before).
export default calltokenProject('example-edge-worker', {
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 90_000,
})
