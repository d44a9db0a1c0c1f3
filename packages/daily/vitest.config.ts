import { calltokenProject } from '../../vitest.shared.ts'

export default calltokenProject('daily')
