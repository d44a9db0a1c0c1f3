import { calltokenProject } from '../vitest.shared.ts'

// The built packages and the example apps as processes of their own: no source aliases.
const project = calltokenProject('reliability', { testTimeout: 600_000, hookTimeout: 120_000 })

export default { ...project, resolve: { ...project.resolve, alias: [] } }
