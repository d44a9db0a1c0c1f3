import { calltokenProject } from '../../vitest.shared.ts'

// The tests run the built binary (dist/main.js) as a child process: build first (CI does).
export default calltokenProject('cli', { testTimeout: 30_000 })
